package dev.meterbill.localstack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The part of Flink's REST API an operator's tooling uses: upload and run a jar (what
 * {@code flink run} does), job and vertex states, checkpoint history, stop-with-savepoint.
 */
public final class FlinkRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

    public FlinkRestClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Uploads a job jar ({@code POST /jars/upload}, multipart field {@code jarfile}); returns its jar id. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "meterbill-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(jar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/jars/upload"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        JsonNode answer = send(request);
        return Path.of(answer.path("filename").asText()).getFileName().toString();
    }

    /**
     * Runs an uploaded jar ({@code POST /jars/:id/run}); {@code savepointPath} may be null. Returns the job id.
     * The job's main runs inside the JobManager, as in application submission.
     */
    public String runJar(String jarId, String entryClass, List<String> programArgs, String savepointPath)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("entryClass", entryClass);
        programArgs.forEach(body.putArray("programArgsList")::add);
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath).put("allowNonRestoredState", false);
        }
        return send(post("/jars/" + jarId + "/run", body, Duration.ofMinutes(3))).path("jobid").asText();
    }

    /** {@code GET /jobs/:id}: state and vertices. */
    public JsonNode job(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId);
    }

    /** {@code GET /jobs}: ids and states of every job the cluster knows. */
    public JsonNode jobs() throws IOException, InterruptedException {
        return get("/jobs").path("jobs");
    }

    /** {@code GET /jobs/:id/checkpoints}: counts (completed, restored) and latest completed/restored. */
    public CheckpointHistory checkpoints(String jobId) throws IOException, InterruptedException {
        return CheckpointHistory.of(get("/jobs/" + jobId + "/checkpoints"));
    }

    /**
     * True when the job is RUNNING and every subtask of every vertex is RUNNING. The job's own state
     * returns to RUNNING about a second after a failure while its tasks still wait for slots, so it
     * alone says nothing about recovery.
     */
    public boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        JsonNode job = job(jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            if (v.path("tasks").path("RUNNING").asInt() != v.path("parallelism").asInt()) {
                return false;
            }
        }
        return job.path("vertices").size() > 0;
    }

    public void awaitAllTasksRunning(String jobId, Duration timeout) throws IOException, InterruptedException {
        Poll.until("every task of job " + jobId + " RUNNING", timeout, () -> allTasksRunning(jobId));
    }

    /**
     * Stop-with-savepoint ({@code POST /jobs/:id/stop}), polling the trigger until the savepoint is
     * complete and the job FINISHED; returns the savepoint's location.
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("targetDirectory", targetDirectory).put("drain", false);
        String trigger = send(post("/jobs/" + jobId + "/stop", body, Duration.ofSeconds(30))).path("request-id").asText();
        String[] location = new String[1];
        Poll.until("savepoint of job " + jobId, timeout, () -> {
            JsonNode s = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if (!"COMPLETED".equals(s.path("status").path("id").asText())) {
                return false;
            }
            JsonNode op = s.path("operation");
            if (op.hasNonNull("failure-cause")) {
                throw new Poll.Fatal("stop-with-savepoint failed: " + op.get("failure-cause"));
            }
            location[0] = op.path("location").asText();
            return true;
        });
        Poll.until("job " + jobId + " FINISHED", timeout, () -> "FINISHED".equals(job(jobId).path("state").asText()));
        return location[0];
    }

    /** Waits until the REST API answers; fails early when the JobManager process died. */
    void awaitUp(ManagedProcess jobManager, Duration timeout) throws IOException, InterruptedException {
        Poll.until("Flink REST API at " + baseUrl, timeout, () -> {
            if (!jobManager.isAlive()) {
                throw new Poll.Fatal("the JobManager exited; see " + jobManager.log() + " and logs/jobmanager.log");
            }
            try {
                get("/overview");
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    void awaitTaskManagers(int count, Duration timeout) throws IOException, InterruptedException {
        Poll.until(count + " TaskManagers registered", timeout,
                () -> get("/overview").path("taskmanagers").asInt() >= count);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private HttpRequest post(String path, JsonNode body, Duration timeout) throws IOException {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(request.method() + " " + request.uri().getPath() + " answered " + r.statusCode() + ": "
                    + rootCause(r.body()));
        }
        return JSON.readTree(r.body());
    }

    /** Flink answers errors with whole stack traces; the innermost cause is what an operator needs to read. */
    static String rootCause(String body) {
        int at = body.lastIndexOf("Caused by: ");
        if (at < 0) {
            return body.length() > 500 ? body.substring(0, 500) + "..." : body;
        }
        int end = body.indexOf("\n", at);
        return body.substring(at + "Caused by: ".length(), end < 0 ? body.length() : end);
    }
}
