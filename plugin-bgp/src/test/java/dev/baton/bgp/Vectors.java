package dev.baton.bgp;

import dev.baton.testkit.SharedFiles;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The BGP captures of {@code ../shared/vectors}: one line per message, then its bytes in hex. */
final class Vectors {

    record Message(String file, int index, String from, String type, byte[] bytes) {
        BgpMessage decode() throws BgpException {
            return BgpDecoder.decode(Unpooled.wrappedBuffer(bytes), true);
        }
    }

    private Vectors() {}

    static Path dir() {
        return SharedFiles.require("vectors");
    }

    static List<Message> messages(String file) throws IOException {
        List<String> lines = Files.readAllLines(dir().resolve(file));
        List<Message> out = new ArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            String head = lines.get(i).strip();
            String hex = lines.get(i + 1).strip();
            if (head.isEmpty() || !Character.isDigit(head.charAt(0)) || !hex.matches("[0-9a-f]+")) {
                continue;
            }
            String[] f = head.split("\\s+");
            out.add(new Message(file, out.size(), f[1], f[4], HexFormat.of().parseHex(hex)));
            i++;
        }
        return out;
    }

    static Message first(String file, String type, String fromPrefix) throws IOException {
        return messages(file).stream().filter(m -> m.type().equals(type) && m.from().startsWith(fromPrefix))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " from " + fromPrefix + " in " + file));
    }
}
