// A file of token ids (int32, little-endian, after a small header), written in one pass and read memory-mapped.
package curex.engine.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Layout: the 8 bytes {@code CXTOKEN1}, the vocabulary size (int32), the number of documents (int32), the number of
 * tokens (int64), then the tokens. A file larger than memory is fine: it is mapped, not read. {@link Writer} streams
 * tokens to a temporary file and renames it into place when closed after {@link Writer#commit()}, so a crash never
 * leaves a partial file under the final name. The mapping is released when the TokenFile is no longer reachable.
 */
public final class TokenFile {
    private static final byte[] MAGIC = "CXTOKEN1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 24;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final int vocabulary;
    private final int documents;
    private final long length;
    private final MemorySegment tokens;

    private TokenFile(Path path, int vocabulary, int documents, long length, MemorySegment tokens) {
        this.path = path;
        this.vocabulary = vocabulary;
        this.documents = documents;
        this.length = length;
        this.tokens = tokens;
    }

    /** Maps {@code path}; an IOException naming the file when it is not a complete token file. */
    public static TokenFile open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER) throw new IOException(path + ": not a token file (" + size + " bytes, shorter than its header)");
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            while (h.hasRemaining() && ch.read(h, h.position()) > 0) {
                // read the whole header
            }
            h.flip();
            byte[] magic = new byte[MAGIC.length];
            h.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException(path + ": not a token file (bad magic)");
            int vocabulary = h.getInt(), documents = h.getInt();
            long length = h.getLong();
            if (vocabulary < 1 || documents < 0 || length < 0 || size != HEADER + 4 * length)
                throw new IOException(path + ": damaged token file (header says " + length + " tokens, vocabulary "
                        + vocabulary + ", but the file has " + size + " bytes)");
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, HEADER, 4 * length, Arena.ofAuto());
            return new TokenFile(path, vocabulary, documents, length, seg);
        }
    }

    /** Token {@code i} (0..length-1). */
    public int get(long i) {
        return tokens.getAtIndex(INT, i);
    }

    /** Copies {@code count} tokens from {@code from} into {@code into[at..]}. */
    public void copy(long from, int[] into, int at, int count) {
        MemorySegment.copy(tokens, INT, from * 4, into, at, count);
    }

    public long length() {
        return length;
    }

    public int vocabulary() {
        return vocabulary;
    }

    public int documents() {
        return documents;
    }

    public Path path() {
        return path;
    }

    /** Streams tokens into {@code path} (via a temporary file beside it). */
    public static Writer writer(Path path, int vocabulary) throws IOException {
        return new Writer(path, vocabulary);
    }

    /** Appends token ids; {@link #commit()} then {@link #close()} publishes the file. */
    public static final class Writer implements AutoCloseable {
        private final Path path, tmp;
        private final int vocabulary;
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long length;
        private int documents;
        private boolean committed;

        private Writer(Path path, int vocabulary) throws IOException {
            if (vocabulary < 1) throw new IllegalArgumentException("vocabulary must be >= 1, got " + vocabulary);
            this.path = path;
            this.vocabulary = vocabulary;
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            this.tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
            tmp.toFile().deleteOnExit();   // a process stopped while writing (Ctrl-C) leaves no partial file behind
            this.ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            ch.write(ByteBuffer.allocate(HEADER));                      // the header is written at commit
        }

        /** Appends one document's tokens (each in [0, vocabulary)). */
        public void document(int[] ids, int count) throws IOException {
            for (int i = 0; i < count; i++) {
                int t = ids[i];
                if (t < 0 || t >= vocabulary)
                    throw new IllegalArgumentException("token " + t + " outside the vocabulary of " + vocabulary);
                if (!buf.hasRemaining()) flush();
                buf.putInt(t);
            }
            length += count;
            documents++;
        }

        public long length() {
            return length;
        }

        public int documents() {
            return documents;
        }

        private void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) ch.write(buf);
            buf.clear();
        }

        /** Writes the header and syncs; the file appears under its name on {@link #close()}. */
        public void commit() throws IOException {
            flush();
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.put(MAGIC).putInt(vocabulary).putInt(documents).putLong(length).flip();
            ch.write(h, 0);
            ch.force(true);
            committed = true;
        }

        @Override
        public void close() throws IOException {
            ch.close();
            if (committed) Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            else Files.deleteIfExists(tmp);
        }
    }
}
