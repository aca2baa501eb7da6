package dev.meterbill.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupplierProfileTest {

    @TempDir
    Path dir;

    private SupplierProfile withLogo(byte[] content) throws Exception {
        Path file = Files.write(dir.resolve("logo"), content);
        return SupplierProfile.fromEnv(Map.of(SupplierProfile.LOGO, file.toString()));
    }

    @Test
    void noLogoByDefault() {
        assertThat(SupplierProfile.defaults().logoDataUri()).isNull();
    }

    @Test
    void aPngOrJpegLogoIsKeptAsADataUriOfItsType() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0};

        assertThat(withLogo(png).logoDataUri()).isEqualTo("data:image/png;base64,iVBORw0KGgoAAA==");
        assertThat(withLogo(jpeg).logoDataUri()).isEqualTo("data:image/jpeg;base64,/9j/4AA=");
    }

    @Test
    void aLogoThatIsNotAnImageOrTooLargeOrMissingStopsTheServiceNamingTheVariable() throws Exception {
        assertThatThrownBy(() -> withLogo("<svg/>".getBytes()))
                .hasMessageContaining("BILLING_SUPPLIER_LOGO").hasMessageContaining("neither a PNG nor a JPEG");
        byte[] large = new byte[SupplierProfile.MAX_LOGO_BYTES + 1];
        large[0] = (byte) 0x89;
        assertThatThrownBy(() -> withLogo(large)).hasMessageContaining("larger than 256 KiB");
        assertThatThrownBy(() -> SupplierProfile.fromEnv(Map.of(SupplierProfile.LOGO, dir.resolve("absent.png").toString())))
                .hasMessageContaining("BILLING_SUPPLIER_LOGO").hasMessageContaining("cannot be read");
    }
}
