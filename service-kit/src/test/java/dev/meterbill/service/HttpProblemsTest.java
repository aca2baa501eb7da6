package dev.meterbill.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpProblemsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/i/NKPhRohvdwMJ9z3BwoECxgCUezeh8CVLNr4aP3Nddbc | /i/\u2026",
        "/portal/open/DRPLH1UZZ0Sh3u7C6ZnjY9Yln2sNIUeATYWbvf4tM6A | /portal/open/\u2026",
        "/api/v1/invoices/7c9e6679-7425-40de-944b-e07fc1f90ae7/pdf | /api/v1/invoices/7c9e6679-7425-40de-944b-e07fc1f90ae7/pdf",
        "/api/v1/organisations | /api/v1/organisations",
        "/i/NKPhRohvdwMJ9z3BwoECxgCUezeh8CVLNr4aP3NddbcX | /i/NKPhRohvdwMJ9z3BwoECxgCUezeh8CVLNr4aP3NddbcX"})
    void linkTokensNeverReachALogLine(String path, String logged) {
        assertThat(HttpProblems.loggable(path)).isEqualTo(logged);
    }
}
