// SHA-256 of files, in hex: what runs record to tell their inputs apart.
package curex.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 of the bytes of one file, or of several read one after another. */
public final class Sha256 {
    private Sha256() {
    }

    /** The SHA-256 of the files' bytes in order, in lower-case hex. */
    public static String of(Path... files) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        for (Path file : files)
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
            }
        return HexFormat.of().formatHex(d.digest());
    }
}
