package dev.baton.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a keepalived.conf into a Baton YAML config: what has a Baton equivalent becomes a key,
 * everything else a comment naming the keepalived line and why it was not carried over.
 *
 * <p>Baton is unicast only. For a keepalived instance without {@code unicast_peer} (multicast)
 * the peers come from {@link #peers}, and without {@code unicast_src_ip} the source from
 * {@link #source}; missing both, the output holds TEST-NET-1 placeholders marked FIXME, which
 * validate but cannot bind, so an unfinished import never runs by accident.
 *
 * <p>A keepalived {@code auth_pass} is never printed: the config names a password file, and
 * {@link #writeSecrets} writes it (mode 0600).
 */
public final class KeepalivedImport {

    /** The YAML, the warnings for stderr, and the password files the config refers to. */
    public record Result(String yaml, List<String> warnings, List<Path> writtenSecrets) {}

    private String source;
    private List<String> peers = List.of();
    private Path secretsDir;

    /** This node's address, for instances without {@code unicast_src_ip}. */
    public KeepalivedImport source(String address) {
        this.source = address;
        return this;
    }

    /** The other nodes' addresses, for instances without {@code unicast_peer} (multicast). */
    public KeepalivedImport peers(List<String> addresses) {
        this.peers = List.copyOf(addresses);
        return this;
    }

    /** Where to write {@code <instance>.pass} files; the config then names them by absolute path. */
    public KeepalivedImport writeSecrets(Path dir) {
        this.secretsDir = dir;
        return this;
    }

    public Result convert(Path keepalivedConf) throws ImportException {
        if (source != null) {
            Mapper.checkAddress("--source", source);
        }
        for (String p : peers) {
            Mapper.checkAddress("--peer", p);
        }
        List<String> parseNotes = new ArrayList<>();
        List<Statement> top = ConfParser.parse(keepalivedConf, parseNotes);
        Mapper mapper = new Mapper(source, peers);
        Draft draft = mapper.map(top, parseNotes);

        List<String> warnings = new ArrayList<>(mapper.warnings);
        List<Path> written = new ArrayList<>();
        for (Draft.Instance i : draft.instances) {
            if (i.passwordFile == null) {
                continue;
            }
            byte[] password = mapper.secrets.get(i.passwordFile);
            if (secretsDir != null) {
                Path file = secretsDir.toAbsolutePath().normalize().resolve(i.passwordFile);
                write(file, password);
                written.add(file);
                i.notes.add(0, "the keepalived auth_pass is in " + file + " (mode 0600)");
                i.passwordFile = file.toString();
            } else {
                i.notes.add(0, "put the keepalived auth_pass of this instance in " + i.passwordFile
                        + " next to this config (mode 0600, one line); it is not printed here");
                warnings.add("vrrp_instance " + i.name + ": put its auth_pass in " + i.passwordFile
                        + " next to the config (or import with --write-secrets DIR)");
            }
        }
        List<String> header = List.of(
                "Baton config imported from " + keepalivedConf + " by baton import-keepalived.",
                "Each comment starting with 'keepalived' is a setting that was not carried over; FIXME marks a value to set.");
        return new Result(YamlWriter.write(draft, header), List.copyOf(warnings), List.copyOf(written));
    }

    private static void write(Path file, byte[] password) throws ImportException {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            // Created 0600 from the start: never readable by others, not even for a moment.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, password);
        } catch (IOException e) {
            throw new ImportException(file.toString(), 0, "cannot write the password file ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
