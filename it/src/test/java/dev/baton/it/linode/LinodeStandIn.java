package dev.baton.it.linode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * A local stand-in for the Linode API v4 IP endpoints, run as its own process in a lab namespace
 * so the agents reach it over the lab network, as they would reach api.linode.com. It keeps who
 * holds which address, checks the bearer token, and after every change writes the holders to a
 * state file ("address linode_id" lines, replaced atomically) and appends each request to a log,
 * which is how the test, outside the namespace, reads what happened.
 *
 * <p>Usage: {@code LinodeStandIn ADDRESS PORT TOKEN_FILE STATE_FILE REQUEST_LOG ip=linode_id...}
 */
public final class LinodeStandIn {

    static final String REGION = "us-east";

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Long> holders = new TreeMap<>();
    private final String token;
    private final Path state;
    private final Path requestLog;

    private LinodeStandIn(String token, Path state, Path requestLog) {
        this.token = token;
        this.state = state;
        this.requestLog = requestLog;
    }

    public static void main(String[] args) throws IOException {
        String token = Files.readString(Path.of(args[2])).strip();
        LinodeStandIn api = new LinodeStandIn(token, Path.of(args[3]), Path.of(args[4]));
        for (int i = 5; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            api.holders.put(kv[0], Long.parseLong(kv[1]));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 16);
        server.createContext("/", api::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        api.save(); // the test waits for this file: the stand-in is listening
    }

    private synchronized void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean authorized = ("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"));
            Files.writeString(requestLog, method + " " + path + " " + (authorized ? "auth-ok" : "auth-bad") + " "
                    + body.replace('\n', ' ') + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            if (!authorized) {
                reply(ex, 401, error("Invalid Token", null));
                return;
            }
            List<String> p = List.of(path.substring(1).split("/"));
            if (method.equals("GET") && p.size() == 4 && p.subList(0, 3).equals(List.of("v4", "networking", "ips"))) {
                Long id = holders.get(p.get(3));
                reply(ex, id == null ? 404 : 200, id == null ? error("Not found", null) : ip(p.get(3), id));
            } else if (method.equals("GET") && p.size() == 5 && p.get(1).equals("linode") && p.get(4).equals("ips")) {
                reply(ex, 200, linodeIps(Long.parseLong(p.get(3))));
            } else if (method.equals("POST") && path.equals("/v4/networking/ips/assign")) {
                JsonNode req = json.readTree(body);
                if (!REGION.equals(req.path("region").asText())) {
                    reply(ex, 400, error("Region is not valid", "region"));
                    return;
                }
                for (JsonNode a : req.path("assignments")) {
                    if (!holders.containsKey(a.path("address").asText())) {
                        reply(ex, 400, error("Invalid IP address", "assignments"));
                        return;
                    }
                }
                for (JsonNode a : req.path("assignments")) {
                    holders.put(a.path("address").asText(), a.path("linode_id").asLong());
                }
                save();
                reply(ex, 200, json.createObjectNode());
            } else {
                reply(ex, 404, error("Not found", null));
            }
        } catch (RuntimeException e) {
            reply(ex, 400, error("Malformed request", null));
        }
    }

    private ObjectNode ip(String address, long linodeId) {
        ObjectNode n = json.createObjectNode();
        n.put("address", address).putNull("gateway");
        n.put("linode_id", linodeId).put("prefix", 24).put("public", true).putNull("rdns");
        n.put("region", REGION).put("subnet_mask", "255.255.255.0").put("type", "ipv4");
        return n;
    }

    private ObjectNode linodeIps(long linodeId) {
        ObjectNode root = json.createObjectNode();
        ObjectNode v4 = root.putObject("ipv4");
        ArrayNode pub = v4.putArray("public");
        holders.forEach((a, id) -> {
            if (id == linodeId) {
                pub.add(ip(a, id));
            }
        });
        v4.putArray("private");
        v4.putArray("shared");
        v4.putArray("reserved");
        root.putObject("ipv6").putArray("global");
        return root;
    }

    private ObjectNode error(String reason, String field) {
        ObjectNode root = json.createObjectNode();
        ObjectNode e = root.putArray("errors").addObject().put("reason", reason);
        if (field != null) {
            e.put("field", field);
        }
        return root;
    }

    private void reply(HttpExchange ex, int code, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void save() throws IOException {
        StringBuilder s = new StringBuilder();
        holders.forEach((a, id) -> s.append(a).append(' ').append(id).append('\n'));
        Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
        Files.writeString(tmp, s);
        Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
