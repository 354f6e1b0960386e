// Reads and writes safetensors checkpoints (F32 and I32 tensors plus string metadata), the format PyTorch users load.
package curex.engine.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON (padded with spaces
 * to a multiple of 8), then the raw little-endian tensor data. The JSON maps each tensor name to
 * {@code {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}} (byte offsets into the data section)
 * and may hold string metadata under {@code "__metadata__"}. F32 (weights) and I32 (labels, ids) tensors are written
 * and read.
 */
public final class Safetensors {
    /** Largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK_FLOATS = 1 << 18;  // 1 MiB of data per write / read
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Safetensors() {
    }

    // ------------------------------------------------------------------------------------------------ writing

    /** Writes {@code tensors} (in order) and {@code metadata} to {@code file} atomically (temp file + rename). */
    public static void write(Path file, Map<String, String> metadata, List<NamedArray> tensors) throws IOException {
        byte[] header = header(file, metadata, tensors);
        AtomicFiles.write(file, ch -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            AtomicFiles.writeFully(ch, len);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (NamedArray t : tensors) {
                for (int from = 0; from < t.size(); from += CHUNK_FLOATS) {
                    int n = Math.min(CHUNK_FLOATS, t.size() - from);
                    chunk.clear();
                    if (t.isInts()) chunk.asIntBuffer().put(t.ints(), from, n);
                    else chunk.asFloatBuffer().put(t.data(), from, n);
                    chunk.limit(n * Float.BYTES);
                    AtomicFiles.writeFully(ch, chunk);
                }
            }
        });
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    private static byte[] header(Path file, Map<String, String> metadata, List<NamedArray> tensors)
            throws CheckpointException {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach((k, v) -> {
                if (k == null || v == null) throw new IllegalArgumentException("metadata keys and values must not be null");
                meta.put(k, v);
            });
        }
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (NamedArray t : tensors) {
            if (t.name().equals(METADATA_KEY) || !names.add(t.name()))
                throw new CheckpointException(file, "cannot write tensor name '" + t.name() + "' twice or as "
                        + METADATA_KEY);
            ObjectNode entry = root.putObject(t.name());
            entry.put("dtype", t.dtype());
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            long end = offset + (long) t.size() * Float.BYTES;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file, "cannot encode header: " + e.getOriginalMessage(), e);
        }
        int padded = (json.length + 7) & ~7;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** Reads a whole safetensors file; any malformation raises a {@link CheckpointException} naming the file. */
    public static SafetensorsFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(file, ch);
            long dataStart = ch.size() - h.dataLen;
            LinkedHashMap<String, NamedArray> tensors = new LinkedHashMap<>();
            for (Entry e : h.entries)
                tensors.put(e.name, e.ints ? NamedArray.ofInts(e.name, e.shape, readInts(file, ch, dataStart + e.begin, e.elements))
                        : new NamedArray(e.name, e.shape, readFloats(file, ch, dataStart + e.begin, e.elements)));
            return new SafetensorsFile(h.metadata, tensors);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file", e);
        }
    }

    /** The {@code __metadata__} of a file, after checking its header, without reading the tensor data. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        return header(file).metadata();
    }

    /** A tensor as the header lists it: its name, dtype ("F32", "I32") and shape. */
    public record TensorHeader(String name, String dtype, int[] shape) {
        public long elements() {
            return NamedArray.elements(shape);
        }
    }

    /** What a file's header holds: its {@code __metadata__} and its tensors in file order. */
    public record Listing(Map<String, String> metadata, List<TensorHeader> tensors) {
    }

    /** The metadata and the tensors the header lists, after checking it, without reading the tensor data. */
    public static Listing list(Path file) throws IOException {
        Header h = header(file);
        List<TensorHeader> tensors = new ArrayList<>();
        for (Entry e : h.entries) tensors.add(new TensorHeader(e.name, e.ints ? "I32" : "F32", e.shape.clone()));
        return new Listing(h.metadata, tensors);
    }

    private static Header header(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file", e);
        }
    }

    /** The header of an open file, checked against its size. */
    private static Header header(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) throw new CheckpointException(file, "truncated: " + size + " bytes, too short for the 8-byte header length");
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, lenBuf, 0);
        long headerLen = lenBuf.getLong(0);
        if (headerLen < 2 || headerLen > MAX_HEADER_BYTES)
            throw new CheckpointException(file, "not a safetensors file (or a corrupt one): its first 8 bytes "
                    + "declare a header of " + Long.toUnsignedString(headerLen) + " bytes, outside [2, "
                    + MAX_HEADER_BYTES + "]");
        if (8 + headerLen > size)
            throw new CheckpointException(file, "truncated: header of " + headerLen + " bytes declared but the file has only "
                    + (size - 8) + " bytes after the length");
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(file, ch, headerBuf, 8);
        long dataLen = size - (8 + headerLen);
        return parseHeader(file, headerBuf.array(), dataLen);
    }

    private record Entry(String name, int[] shape, long begin, long end, int elements, boolean ints) {
    }

    private record Header(Map<String, String> metadata, List<Entry> entries, long dataLen) {
    }

    private static Header parseHeader(Path file, byte[] bytes, long dataLen) throws CheckpointException {
        if (bytes[0] != '{')
            throw new CheckpointException(file, "corrupt header: does not start with '{' (not a safetensors file?)");
        JsonNode root;
        try {
            root = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file, "corrupt header: invalid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) throw new CheckpointException(file, "corrupt header: not a JSON object");
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            if (f.getKey().equals(METADATA_KEY)) {
                if (!f.getValue().isObject()) throw new CheckpointException(file, "corrupt header: " + METADATA_KEY + " is not an object");
                for (Map.Entry<String, JsonNode> kv : f.getValue().properties()) {
                    if (!kv.getValue().isTextual())
                        throw new CheckpointException(file, "corrupt header: metadata value of '" + kv.getKey() + "' is not a string");
                    metadata.put(kv.getKey(), kv.getValue().textValue());
                }
            } else {
                entries.add(parseEntry(file, f.getKey(), f.getValue()));
            }
        }
        checkLayout(file, entries, dataLen);
        return new Header(metadata, entries, dataLen);
    }

    private static Entry parseEntry(Path file, String name, JsonNode node) throws CheckpointException {
        String where = "tensor '" + name + "': ";
        if (!node.isObject()) throw new CheckpointException(file, "corrupt header: " + where + "entry is not an object");
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual()) throw new CheckpointException(file, "corrupt header: " + where + "missing dtype");
        if (!dtype.textValue().equals("F32") && !dtype.textValue().equals("I32"))
            throw new CheckpointException(file, where + "dtype " + dtype.textValue() + " is not supported (F32 and I32 are)");
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) throw new CheckpointException(file, "corrupt header: " + where + "missing shape");
        int[] shape = new int[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.intValue() < 0)
                throw new CheckpointException(file, "corrupt header: " + where + "bad dimension " + d + " in shape " + shapeNode);
            shape[i] = d.intValue();
            elements *= shape[i];
            if (elements > Integer.MAX_VALUE - 8)
                throw new CheckpointException(file, where + "shape " + shapeNode + " is too large for one array");
        }
        JsonNode off = node.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()
                || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong())
            throw new CheckpointException(file, "corrupt header: " + where + "data_offsets must be two integers, got " + off);
        long begin = off.get(0).longValue(), end = off.get(1).longValue();
        if (begin < 0 || end < begin)
            throw new CheckpointException(file, "bad offsets: " + where + "data_offsets " + off + " are not an increasing pair");
        if (end - begin != elements * Float.BYTES)
            throw new CheckpointException(file, "bad offsets: " + where + "data_offsets " + off + " span " + (end - begin)
                    + " bytes but shape " + shapeNode + " of " + dtype.textValue() + " needs " + elements * Float.BYTES);
        return new Entry(name, shape, begin, end, (int) elements, dtype.textValue().equals("I32"));
    }

    /** Tensors must tile the data section exactly: in range, no overlap, no gap, nothing left over. */
    private static void checkLayout(Path file, List<Entry> entries, long dataLen) throws CheckpointException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : sorted) {
            if (e.end > dataLen)
                throw new CheckpointException(file, "bad offsets: tensor '" + e.name + "' ends at data byte " + e.end
                        + " but the data section has only " + dataLen + " bytes (truncated file?)");
            if (e.begin < expected)
                throw new CheckpointException(file, "bad offsets: tensor '" + e.name + "' at [" + e.begin + ", " + e.end
                        + ") overlaps the tensor before it, which ends at " + expected);
            if (e.begin > expected)
                throw new CheckpointException(file, "bad offsets: gap of " + (e.begin - expected) + " bytes before tensor '"
                        + e.name + "' at data byte " + expected);
            expected = e.end;
        }
        if (expected != dataLen)
            throw new CheckpointException(file, "bad offsets: tensors cover " + expected + " data bytes but the file holds "
                    + dataLen + " (trailing bytes)");
    }

    private static int[] readInts(Path file, FileChannel ch, long position, int count) throws IOException {
        int[] out = new int[count];
        readChunks(file, ch, position, count, (chunk, from, n) -> chunk.asIntBuffer().get(out, from, n));
        return out;
    }

    private static float[] readFloats(Path file, FileChannel ch, long position, int count) throws IOException {
        float[] out = new float[count];
        readChunks(file, ch, position, count, (chunk, from, n) -> chunk.asFloatBuffer().get(out, from, n));
        return out;
    }

    /** Takes elements {@code [from, from + n)} of a tensor out of a chunk of its little-endian 4-byte data. */
    private interface ChunkReader {
        void take(ByteBuffer chunk, int from, int n);
    }

    /** Reads {@code count} 4-byte elements from {@code position} in chunks of {@link #CHUNK_FLOATS}. */
    private static void readChunks(Path file, FileChannel ch, long position, int count, ChunkReader reader)
            throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(count, CHUNK_FLOATS) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < count; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, count - from);
            chunk.clear().limit(n * Float.BYTES);
            readFully(file, ch, chunk, position + (long) from * Float.BYTES);
            chunk.flip();
            reader.take(chunk, from, n);
        }
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position);
            if (r < 0) throw new CheckpointException(file, "truncated: unexpected end of file at byte " + position,
                    new EOFException());
            position += r;
        }
    }
}
