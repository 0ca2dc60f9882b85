package dev.baton.linode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A small stateful stand-in for the Linode API v4 endpoints the plugin uses, and for the
 * metadata service, for MockWebServer. Answers are shaped like the contract's schemas (the
 * contract test validates them too); queued {@link #faults} are served first, whatever the path.
 */
final class FakeLinode extends Dispatcher {

    static final String TOKEN = "fake-linode-token-7f3a9c";
    static final String REGION = "us-east";

    private final ObjectMapper json = new ObjectMapper();
    /** Address to the Linode it is assigned to. */
    final Map<String, Long> holders = new ConcurrentHashMap<>();
    /** Linode to the addresses shared with it, as last written. */
    final Map<Long, List<String>> shared = new ConcurrentHashMap<>();
    final ConcurrentLinkedDeque<MockResponse> faults = new ConcurrentLinkedDeque<>();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    volatile long metadataId = 0;
    /** Linode to IPv6 ranges in its ipv6.global: range to the Linode whose SLAAC address it routes to. */
    final Map<Long, Map<String, Long>> ranges = new ConcurrentHashMap<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        bodies.add(request.getBody() == null ? "" : request.getBody().utf8());
        MockResponse fault = faults.poll();
        if (fault != null) {
            return fault;
        }
        List<String> p = request.getUrl().pathSegments();
        String method = request.getMethod();
        try {
            if (p.getFirst().equals("v1")) {
                return metadata(request, p);
            }
            if (!("Bearer " + TOKEN).equals(request.getHeaders().get("Authorization"))) {
                return error(401, "Invalid Token", null);
            }
            if (method.equals("GET") && p.size() == 4 && p.get(1).equals("networking") && p.get(2).equals("ips")) {
                Long id = holders.get(p.get(3));
                return id == null ? error(404, "Not found", null) : ok(ip(p.get(3), id));
            }
            if (method.equals("GET") && p.size() == 5 && p.get(1).equals("linode") && p.get(4).equals("ips")) {
                return ok(linodeIps(Long.parseLong(p.get(3))));
            }
            if (method.equals("POST") && p.size() == 4 && p.get(3).equals("share")) {
                JsonNode body = json.readTree(request.getBody().utf8());
                List<String> ips = new ArrayList<>();
                body.path("ips").forEach(n -> ips.add(n.asText()));
                shared.put(body.path("linode_id").asLong(), List.copyOf(ips));
                return ok(json.createObjectNode());
            }
            if (method.equals("POST") && p.size() == 4 && p.get(3).equals("assign")) {
                JsonNode body = json.readTree(request.getBody().utf8());
                if (!REGION.equals(body.path("region").asText())) {
                    return error(400, "Region mismatch", "region");
                }
                for (JsonNode a : body.path("assignments")) {
                    String address = a.path("address").asText();
                    if (!holders.containsKey(address)) {
                        return error(400, "Invalid IP address", "assignments");
                    }
                    holders.put(address, a.path("linode_id").asLong());
                }
                return ok(json.createObjectNode());
            }
        } catch (IOException | RuntimeException e) {
            return error(400, "Malformed request: " + e.getMessage(), null);
        }
        return error(404, "Not found", null);
    }

    private MockResponse metadata(RecordedRequest request, List<String> p) {
        if (request.getMethod().equals("PUT") && p.equals(List.of("v1", "token"))
                && request.getHeaders().get("Metadata-Token-Expiry-Seconds") != null) {
            return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain").body("metadata-token-42").build();
        }
        if (request.getMethod().equals("GET") && p.equals(List.of("v1", "instance"))
                && "metadata-token-42".equals(request.getHeaders().get("Metadata-Token")) && metadataId > 0) {
            return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body("{\"id\": " + metadataId + ", \"label\": \"n1\", \"region\": \"" + REGION + "\", \"type\": \"g6-nanode-1\"}")
                    .build();
        }
        return new MockResponse.Builder().code(401).body("").build();
    }

    ObjectNode ip(String address, long linodeId) {
        ObjectNode n = json.createObjectNode();
        n.put("address", address);
        n.putNull("gateway");
        n.put("linode_id", linodeId);
        n.put("prefix", 24);
        n.put("public", true);
        n.putNull("rdns");
        n.put("region", REGION);
        n.put("subnet_mask", "255.255.255.0");
        n.put("type", "ipv4");
        return n;
    }

    ObjectNode linodeIps(long linodeId) {
        ObjectNode root = json.createObjectNode();
        ObjectNode v4 = root.putObject("ipv4");
        ArrayNode pub = v4.putArray("public");
        holders.forEach((a, id) -> {
            if (id == linodeId) {
                pub.add(ip(a, id));
            }
        });
        v4.putArray("private");
        v4.putArray("reserved");
        ArrayNode sh = v4.putArray("shared");
        for (String a : shared.getOrDefault(linodeId, Collections.emptyList())) {
            sh.add(ip(a, holders.getOrDefault(a, 0L)));
        }
        ObjectNode v6 = root.putObject("ipv6");
        ArrayNode global = v6.putArray("global");
        ranges.getOrDefault(linodeId, Map.of()).forEach((range, target) -> global.addObject()
                .put("prefix", 64).put("range", range).put("region", REGION).put("route_target", slaac(target)));
        ObjectNode slaac = v6.putObject("slaac");
        slaac.put("address", slaac(linodeId));
        slaac.put("prefix", 64);
        return root;
    }

    static String slaac(long linodeId) {
        return "2600:3c00::f03c:91ff:fe00:" + Long.toHexString(linodeId & 0xffff);
    }

    MockResponse ok(JsonNode body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("X-RateLimit-Limit", "800").addHeader("X-RateLimit-Remaining", "799")
                .body(body.toString()).build();
    }

    static MockResponse error(int code, String reason, String field) {
        String f = field == null ? "" : ", \"field\": \"" + field + "\"";
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .body("{\"errors\": [{\"reason\": \"" + reason.replace("\"", "'") + "\"" + f + "}]}").build();
    }

    /** Requests other than the metadata service's. */
    List<RecordedRequest> apiRequests() {
        return requests.stream().filter(r -> !r.getUrl().pathSegments().getFirst().equals("v1")).toList();
    }
}
