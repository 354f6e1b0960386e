// The CUDA C of every kernel: the resource files under curex/cuda/kernels joined into one NVRTC program.
package curex.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One program: the shared helpers ({@code common.cuh}) followed by each family's {@code .cu} file, each after a
 * {@code #line} directive so that NVRTC's messages name the file and line they come from.
 */
record KernelSource(String name, String text) {
    static final String FOLDER = "curex/cuda/kernels/";
    static final String COMMON = "common.cuh";
    /** The kernel families, one file each. */
    static final List<String> FAMILIES = List.of("memory.cu", "elementwise.cu", "rows.cu", "losses.cu",
            "layernorm.cu", "embedding.cu", "optimizers.cu", "reductions.cu", "strided.cu");

    /** Every kernel of the backend as one program. */
    static KernelSource all() {
        StringBuilder sb = new StringBuilder();
        for (String file : concat(COMMON, FAMILIES)) {
            sb.append("#line 1 \"").append(file).append("\"\n").append(read(file));
            if (sb.charAt(sb.length() - 1) != '\n') sb.append('\n');
        }
        return new KernelSource("curex_kernels.cu", sb.toString());
    }

    private static List<String> concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }

    /** The text of one resource file. */
    static String read(String file) {
        try (InputStream in = KernelSource.class.getClassLoader().getResourceAsStream(FOLDER + file)) {
            if (in == null) throw new IllegalStateException("missing kernel source " + FOLDER + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hex SHA-256 of the text. */
    String sha256() {
        return sha256(text);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
