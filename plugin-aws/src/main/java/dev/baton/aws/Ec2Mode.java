package dev.baton.aws;

import dev.baton.api.Ownership;
import dev.baton.api.Vip;
import dev.baton.api.VipSet;
import java.util.ArrayList;
import java.util.List;

/**
 * One way of moving a VIP with the EC2 API. Reads go straight to {@link Ec2}; writes go through a
 * {@link Writer}, which sends them, or only logs them in a dry run.
 */
sealed interface Ec2Mode permits SecondaryIpMode, ElasticIpMode, RouteTableMode {

    /** Sends one write, or (dry run) logs {@code what} instead. */
    interface Writer {
        void write(String what, Write write) throws Ec2Error;
    }

    @FunctionalInterface
    interface Write {
        void run() throws Ec2Error;
    }

    /** Writes that make traffic for {@code vips} reach our interface; idempotent, no read first. */
    void acquire(VipSet vips, Writer writer) throws Ec2Error;

    /** Undoes what is still ours, and only that; never moves anything away from another node. */
    void release(VipSet vips, Writer writer) throws Ec2Error;

    /** Where traffic for {@code vips} goes, from EC2's Describe calls. */
    Ownership inspect(VipSet vips) throws Ec2Error;

    /** The addresses as EC2 writes them. */
    static List<String> addresses(VipSet vips) {
        List<String> out = new ArrayList<>();
        for (Vip v : vips) {
            out.add(v.address().getHostAddress());
        }
        return out;
    }
}
