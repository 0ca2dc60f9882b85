package dev.baton.agent;

/**
 * The config of one node of the two-node group the agent tests run: n1 (10.99.0.11) and n2
 * (10.99.0.12), VRID 51, 100 ms adverts, no link watch (there is no real interface).
 */
public final class PairConfig {

    private PairConfig() {}

    /** Node {@code node} (1 or 2) with {@code instanceExtra} appended at the instance's level. */
    public static String yaml(int node, int priority, String instanceExtra) {
        return """
                node: { name: n%d }
                instances:
                  - name: web
                    vrid: 51
                    interface: eth0
                    priority: %d
                    advert_interval: 100ms
                    source: 10.99.0.%d
                    peers: [10.99.0.%d]
                    vips: [10.99.0.50/24]
                    track_interface: false
                %s
                """.formatted(node, priority, 10 + node, node == 1 ? 12 : 11, instanceExtra);
    }

    /** The test plugin's provider ({@code TestPlugins}): acquire ok, hang, throw or crash. */
    public static String testProvider(String acquire, String timeout, int retries) {
        return "    providers:\n      - { type: test, acquire: %s, timeout: %s, retries: %d }"
                .formatted(acquire, timeout, retries);
    }
}
