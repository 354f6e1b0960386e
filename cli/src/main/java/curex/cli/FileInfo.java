// `curex info FILE`: what a safetensors file holds (a model, a checkpoint, its resume state, a logits file).
package curex.cli;

import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a file's size, its {@code __metadata__} (one {@code key: value} line each, long values cut) and its tensors
 * (name, dtype, shape), read from the header alone, so that a logits file of gigabytes is shown at once. A run folder
 * stands for its final model.
 */
final class FileInfo {
    /** Longest metadata value shown whole (word-boundary tables run to kilobytes). */
    private static final int VALUE_CHARS = 120;

    private FileInfo() {
    }

    /** The file {@code given} names: itself, or a run folder's model.safetensors; null when there is none. */
    static Path resolve(Path given) {
        if (Files.isRegularFile(given)) return given;
        Path model = new RunLayout(given).model();
        return Files.isDirectory(given) && Files.isRegularFile(model) ? model : null;
    }

    static void print(Path file, PrintWriter out) throws IOException {
        Safetensors.Listing listing = Safetensors.list(file);
        List<Safetensors.TensorHeader> tensors = listing.tensors();
        Map<String, String> meta = listing.metadata();
        out.println("file: " + file + " (" + ByteSizes.format(Files.size(file)) + ")");
        out.println("metadata: " + (meta.isEmpty() ? "none" : meta.size() + " entries"));
        new java.util.TreeMap<>(meta).forEach((k, v) -> out.println("  " + k + ": " + shown(v)));
        long values = tensors.stream().mapToLong(Safetensors.TensorHeader::elements).sum();
        out.println(String.format(Locale.ROOT, "tensors: %d (%,d values)", tensors.size(), values));
        for (Safetensors.TensorHeader t : tensors)
            out.println("  " + t.name() + " " + t.dtype() + " " + java.util.Arrays.toString(t.shape()));
        out.flush();
    }

    private static String shown(String value) {
        String flat = value.replace('\n', ' ');
        return flat.length() <= VALUE_CHARS ? flat
                : flat.substring(0, VALUE_CHARS) + "... (" + flat.length() + " characters)";
    }
}
