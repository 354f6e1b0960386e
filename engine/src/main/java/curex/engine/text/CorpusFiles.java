// Lists the files of a corpus: one file, or every regular file under a folder, recursively, in sorted order.
package curex.engine.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a corpus path stands for. A folder is walked recursively; its files are sorted by their path relative to
 * the folder (string order, so {@code a/z.txt} comes before {@code b.txt}); hidden files and folders (names starting
 * with a dot) are left out.
 */
public final class CorpusFiles {
    private CorpusFiles() {
    }

    /** The files of {@code corpus}; a {@link CorpusException} if it does not exist or holds no files. */
    public static List<Path> list(Path corpus) {
        if (!Files.exists(corpus)) throw new CorpusException("corpus '" + corpus + "': no such file or folder");
        if (!Files.isDirectory(corpus)) {
            if (!Files.isReadable(corpus)) throw new CorpusException("corpus '" + corpus + "': permission denied");
            return List.of(corpus);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !hidden(corpus, p))
                    .sorted((a, b) -> corpus.relativize(a).toString().compareTo(corpus.relativize(b).toString()))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new CorpusException("corpus '" + corpus + "': cannot list the folder: " + e.getMessage(), e);
        }
        if (files.isEmpty()) throw new CorpusException("corpus '" + corpus + "': the folder holds no files");
        return files;
    }

    private static boolean hidden(Path root, Path file) {
        for (Path part : root.relativize(file)) if (part.toString().startsWith(".")) return true;
        return false;
    }
}
