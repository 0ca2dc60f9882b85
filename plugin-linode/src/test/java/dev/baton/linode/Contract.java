package dev.baton.linode;

import dev.baton.testkit.SharedFiles;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Assumptions;

/**
 * Linode's own OpenAPI description of the IP endpoints ({@code shared/contracts/linode-openapi-ips.json},
 * a subset of linode/linode-api-docs), read from system property {@code baton.shared.dir} (set by
 * the build) or environment variable {@code BATON_SHARED}, and never copied into the project.
 */
final class Contract {

    static final String FILE = "contracts/linode-openapi-ips.json";

    private static OpenApiInteractionValidator validator;

    private Contract() {}

    /** The spec file, or the calling test is skipped with a message saying where it was looked for. */
    static Path file() {
        Path p = SharedFiles.require("contracts").resolve(FILE.substring("contracts/".length()));
        Assumptions.assumeTrue(Files.isRegularFile(p), "Linode API contract not found (" + p + "): contract tests skipped");
        return p;
    }

    static synchronized OpenApiInteractionValidator validator() {
        if (validator == null) {
            validator = OpenApiInteractionValidator.createForSpecificationUrl(file().toUri().toString()).build();
        }
        return validator;
    }

    /** Validates a request as the server received it: method, path, headers (the bearer token), body. */
    static ValidationReport request(RecordedRequest r) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(r.getMethod(), r.getUrl().encodedPath());
        for (String name : r.getHeaders().names()) {
            b.withHeader(name, r.getHeaders().values(name));
        }
        for (String q : r.getUrl().queryParameterNames()) {
            b.withQueryParam(q, r.getUrl().queryParameterValues(q).toArray(String[]::new));
        }
        if (r.getBody() != null && r.getBody().size() > 0) {
            b.withBody(r.getBody().utf8());
        }
        return validator().validateRequest(b.build());
    }

    /** Validates an answer the stand-in gave, so the plugin was tested against real shapes. */
    static ValidationReport response(String method, String path, int status, String body) {
        return validator().validateResponse(path, Request.Method.valueOf(method),
                SimpleResponse.Builder.status(status).withContentType("application/json").withBody(body).build());
    }

    static String describe(ValidationReport report) {
        StringBuilder s = new StringBuilder();
        report.getMessages().forEach(m -> s.append("\n  ").append(m.getLevel()).append(' ').append(m.getKey())
                .append(": ").append(m.getMessage()));
        return s.toString();
    }
}
