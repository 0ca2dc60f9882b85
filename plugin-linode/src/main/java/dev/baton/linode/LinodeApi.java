package dev.baton.linode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.api.ProviderException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The four Linode API v4 operations a failover agent needs, as the contract in
 * {@code shared/contracts/linode-openapi-ips.json} describes them. A thin layer: paths, bodies,
 * and the few response fields that matter; the HTTP semantics live in {@link ApiClient}.
 */
final class LinodeApi {

    /** One address and the Linode it is assigned to (0: none). */
    record IpAddress(InetAddress address, long linodeId, String region) {}

    /**
     * A Linode's addresses: those assigned to it, and those shared with it, the latter keyed by
     * address with the text to write back in a share request.
     */
    record LinodeIps(Set<InetAddress> assigned, Map<InetAddress, String> shared) {}

    /** One entry of an assign request: {@code address} goes to {@code linodeId}. */
    record Assignment(String address, long linodeId) {}

    private final ApiClient client;
    private final ObjectMapper json;

    LinodeApi(ApiClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    /** {@code GET /networking/ips/{address}}: who holds it, in which region. */
    IpAddress ip(InetAddress address) throws ProviderException {
        String text = Addresses.text(address);
        JsonNode n = client.get(List.of("networking", "ips", text));
        JsonNode id = n.path("linode_id");
        if (!id.isMissingNode() && !id.isNull() && !id.canConvertToLong()) {
            throw new ProviderException("Linode API answered GET /networking/ips/" + text + " with a linode_id that is not a number");
        }
        return new IpAddress(address, id.asLong(0), n.path("region").asText(""));
    }

    /**
     * {@code GET /linode/instances/{id}/ips}. Shared IPv4 addresses are {@code ipv4.shared}; the
     * contract lists no shared IPv6 field, so a range in {@code ipv6.global} whose route target is
     * not this Linode's SLAAC address counts as shared with it (a range assigned here routes to
     * our own SLAAC address), and is kept when the share list is rewritten.
     */
    LinodeIps linodeIps(long linodeId) throws ProviderException {
        JsonNode n = client.get(List.of("linode", "instances", Long.toString(linodeId), "ips"));
        Set<InetAddress> assigned = new LinkedHashSet<>();
        Map<InetAddress, String> shared = new LinkedHashMap<>();
        JsonNode v4 = n.path("ipv4");
        for (String kind : List.of("public", "private", "reserved")) {
            for (JsonNode ip : v4.path(kind)) {
                add(assigned, ip.path("address").asText(null));
            }
        }
        for (JsonNode ip : v4.path("shared")) {
            InetAddress a = Addresses.parse(ip.path("address").asText(null));
            if (a != null) {
                shared.put(a, ip.path("address").asText());
            }
        }
        JsonNode v6 = n.path("ipv6");
        InetAddress slaac = Addresses.parse(v6.path("slaac").path("address").asText(null));
        if (slaac != null) {
            assigned.add(slaac);
        }
        for (JsonNode range : v6.path("global")) {
            InetAddress a = Addresses.parse(range.path("range").asText(null));
            InetAddress target = Addresses.parse(range.path("route_target").asText(null));
            if (a == null) {
                continue;
            }
            if (target != null && slaac != null && !target.equals(slaac)) {
                shared.put(a, Addresses.text(a));
            } else {
                assigned.add(a);
            }
        }
        return new LinodeIps(Set.copyOf(assigned), Map.copyOf(shared));
    }

    /**
     * {@code POST /networking/ips/share}: sets the complete list of addresses {@code linodeId} may
     * carry (an empty list removes every share), so callers pass what is shared already too.
     */
    void share(long linodeId, List<String> ips) throws ProviderException {
        client.post(List.of("networking", "ips", "share"), shareBody(linodeId, ips));
    }

    ObjectNode shareBody(long linodeId, List<String> ips) {
        ObjectNode body = json.createObjectNode();
        body.put("linode_id", linodeId);
        ArrayNode list = body.putArray("ips");
        ips.forEach(list::add);
        return body;
    }

    /** {@code POST /networking/ips/assign}: moves each address to its Linode, all in {@code region}. */
    void assign(String region, List<Assignment> assignments) throws ProviderException {
        client.post(List.of("networking", "ips", "assign"), assignBody(region, assignments));
    }

    ObjectNode assignBody(String region, List<Assignment> assignments) {
        ObjectNode body = json.createObjectNode();
        body.put("region", region);
        ArrayNode list = body.putArray("assignments");
        for (Assignment a : assignments) {
            list.addObject().put("address", a.address()).put("linode_id", a.linodeId());
        }
        return body;
    }

    /** The path a request would take, for dry-run lines. */
    String path(String... segments) {
        return client.url(List.of(segments)).encodedPath();
    }

    String text(JsonNode body) {
        return body.toString();
    }

    private static void add(Set<InetAddress> to, String literal) {
        InetAddress a = Addresses.parse(literal);
        if (a != null) {
            to.add(a);
        }
    }

    static List<String> texts(Iterable<InetAddress> addresses) {
        List<String> out = new ArrayList<>();
        addresses.forEach(a -> out.add(Addresses.text(a)));
        return out;
    }
}
