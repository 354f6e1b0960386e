// Expands folder patterns such as "usr/local/cuda*/lib64" below a root, one wildcard segment at a time.
package curex.cuda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Glob expansion of '/'-separated patterns whose segments may hold '*'; only existing folders come back. */
final class FolderGlob {
    private FolderGlob() {
    }

    /**
     * The existing folders matching {@code pattern} below {@code root}. Matches of a wildcard segment come in
     * descending name order, so that /usr/local/cuda-13.0 precedes /usr/local/cuda-12.8.
     */
    static List<Path> expand(Path root, String pattern) {
        List<Path> current = List.of(root);
        for (String segment : pattern.split("/")) {
            if (segment.isEmpty()) continue;
            List<Path> next = new ArrayList<>();
            for (Path folder : current) {
                if (!segment.contains("*")) {
                    Path p = folder.resolve(segment);
                    if (Files.isDirectory(p)) next.add(p);
                    continue;
                }
                List<Path> matches = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, segment)) {
                    for (Path p : ds) if (Files.isDirectory(p)) matches.add(p);
                } catch (IOException | SecurityException e) {
                    // unreadable or missing folder: nothing matches below it
                }
                matches.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
                next.addAll(matches);
            }
            current = next;
        }
        return current;
    }
}
