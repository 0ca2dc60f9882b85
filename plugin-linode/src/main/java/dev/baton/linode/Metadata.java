package dev.baton.linode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.ProviderException;
import java.io.IOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * This Linode's id and region from the Linode Metadata service: {@code PUT /v1/token} with
 * {@code Metadata-Token-Expiry-Seconds} gives a short-lived token (the body, plain text), then
 * {@code GET /v1/instance} with {@code Metadata-Token} describes the instance
 * (https://techdocs.akamai.com/linode-api/reference/get-started-metadata-service). Read once, at
 * start; the metadata token is used for the one call and never logged.
 */
final class Metadata {

    /** Who we are. */
    record Identity(long linodeId, String region) {}

    /** Long enough for the one call that follows; a leaked token expires soon. */
    static final int TOKEN_TTL_SECONDS = 60;
    private static final int ATTEMPTS = 3;

    private Metadata() {}

    static Identity fetch(OkHttpClient http, HttpUrl base, ObjectMapper json, ApiClient.Pause pause)
            throws ProviderException {
        String failure = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (attempt > 0) {
                try {
                    pause.pause(Duration.ofMillis(250L << attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            try {
                return once(http, base, json);
            } catch (IOException e) {
                failure = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted";
                break;
            }
        }
        throw new ProviderException("cannot learn this Linode's id from the metadata service at " + base
                + " (" + failure + "): set linode_id (and region) in the config, or enable Metadata for this Linode",
                false, null);
    }

    private static Identity once(OkHttpClient http, HttpUrl base, ObjectMapper json)
            throws IOException, InterruptedException {
        Http.Reply t = Http.send(http, new Request.Builder()
                .url(base.newBuilder().addPathSegments("v1/token").build())
                .header("Metadata-Token-Expiry-Seconds", Integer.toString(TOKEN_TTL_SECONDS))
                .put(RequestBody.create(new byte[0]))
                .build());
        if (t.code() != 200 || t.body().isBlank()) {
            throw new IOException("PUT /v1/token answered " + t.code());
        }
        Http.Reply i = Http.send(http, new Request.Builder()
                .url(base.newBuilder().addPathSegments("v1/instance").build())
                .header("Metadata-Token", t.body().strip())
                .header("Accept", "application/json")
                .build());
        if (i.code() != 200) {
            throw new IOException("GET /v1/instance answered " + i.code());
        }
        return parse(json, i.body());
    }

    /** The JSON form, or the service's default plain-text form ({@code id: 123} lines). */
    static Identity parse(ObjectMapper json, String body) throws IOException {
        long id;
        String region;
        String s = body.strip();
        if (s.startsWith("{")) {
            JsonNode n = json.readTree(s);
            id = n.path("id").asLong(0);
            region = n.path("region").asText("");
        } else {
            id = 0;
            region = "";
            for (String line : s.split("\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (key.equals("id")) {
                    try {
                        id = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("GET /v1/instance: id is not a number");
                    }
                } else if (key.equals("region")) {
                    region = value;
                }
            }
        }
        if (id <= 0) {
            throw new IOException("GET /v1/instance gave no instance id");
        }
        return new Identity(id, region);
    }
}
