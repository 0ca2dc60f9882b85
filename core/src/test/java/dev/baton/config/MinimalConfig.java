package dev.baton.config;

/** The smallest valid config of one instance, for tests that add one section to it. */
public final class MinimalConfig {

    /** Instance "web" ends the text, so appended lines indented by four spaces belong to it. */
    public static final String YAML = """
            node: { name: n1 }
            instances:
              - name: web
                vrid: 51
                interface: eth0
                source: 10.99.0.11
                peers: [10.99.0.12]
                vips: [10.99.0.50/24]
            """;

    private MinimalConfig() {}
}
