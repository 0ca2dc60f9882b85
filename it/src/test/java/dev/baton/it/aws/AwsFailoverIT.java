package dev.baton.it.aws;

import static dev.baton.it.aws.AwsLab.VIP;
import static dev.baton.it.aws.AwsLab.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two agents as installed (bin/baton, the aws plugin from plugins/) with the aws provider against
 * moto's EC2 in the lab: the master takes the VIP in EC2, dies, and the other node becomes the
 * owner in EC2's view. Skips without root or without moto_server.
 */
class AwsFailoverIT {

    private static final Pattern CONFIRMED = Pattern.compile("aws: acquired .* read-back confirms (eni-\\S+)");
    private AwsLab lab;

    @AfterEach
    void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    /** n1 (150) master, then n2 (100) following it. */
    private void twoNodes(String providerKeys) throws Exception {
        lab.baton("n1", lab.config("n1", 150, providerKeys));
        lab.awaitState("n1", "MASTER", 1);
        lab.baton("n2", lab.config("n2", 100, providerKeys));
        lab.nodes.get("n2").await(Pattern.compile("instance web: following master 10\\.99\\.0\\.11"), WAIT);
    }

    @Test
    void anElasticIpMovesToTheSurvivorWhenTheMasterDies() throws Exception {
        lab = new AwsLab("aw");
        String alloc = lab.allocate();
        twoNodes("        mode: elastic_ip\n        allocation_id: " + alloc + "\n");
        AwsLab.await("EC2 associates the Elastic IP with n1", WAIT, () -> lab.associatedEni(alloc).equals(lab.enis.get("n1")));
        assertThat(lab.nodes.get("n1").await(CONFIRMED, WAIT).group(1)).isEqualTo(lab.enis.get("n1"));

        lab.crash("n1");
        lab.awaitState("n2", "MASTER", 1);
        AwsLab.await("EC2 associates the Elastic IP with n2", WAIT, () -> lab.associatedEni(alloc).equals(lab.enis.get("n2")));
        assertThat(lab.nodes.get("n2").await(CONFIRMED, WAIT).group(1)).isEqualTo(lab.enis.get("n2"));
        assertThat(lab.anyLogContainsTheSecret()).as("credentials in a log line\n%s", lab.logs()).isFalse();
    }

    @Test
    void aSecondaryIpMovesToTheSurvivorWhenTheMasterDies() throws Exception {
        lab = new AwsLab("as");
        twoNodes("        mode: secondary_ip\n");
        AwsLab.await("EC2 lists the VIP on n1's interface", WAIT, () -> lab.privateIps("n1").contains(VIP));
        assertThat(lab.privateIps("n2")).as("the backup released at start and holds nothing").doesNotContain(VIP);

        lab.crash("n1");
        lab.awaitState("n2", "MASTER", 1);
        AwsLab.await("EC2 lists the VIP on n2's interface", WAIT, () -> lab.privateIps("n2").contains(VIP));
        assertThat(lab.nodes.get("n2").await(CONFIRMED, WAIT).group(1)).isEqualTo(lab.enis.get("n2"));
        // moto keeps the address on the dead node's interface too (EC2 would move it): n1, killed,
        // released nothing. AwsSemanticsTest covers EC2's behaviour.
        assertThat(lab.anyLogContainsTheSecret()).as("credentials in a log line\n%s", lab.logs()).isFalse();
    }
}
