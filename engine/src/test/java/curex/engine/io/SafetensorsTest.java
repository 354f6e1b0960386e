// Tests of the safetensors reader and writer: round trips, a hand-built file, and every kind of damaged file.
package curex.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static NamedArray ramp(String name, int... shape) {
        float[] d = new float[(int) NamedArray.elements(shape)];
        for (int i = 0; i < d.length; i++) d[i] = (float) Math.sin(i + name.length()) * 3.5f;
        return new NamedArray(name, shape, d);
    }

    @Test
    void roundTripKeepsNamesShapesDataOrderAndMetadata() throws IOException {
        Path f = dir.resolve("m.safetensors");
        List<NamedArray> ts = List.of(ramp("layers.0.weight", 7, 3), ramp("layers.0.bias", 7),
                ramp("scalar"), ramp("empty", 0, 4), ramp("big", 300_001));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("config", "{\"hidden\": [10, 20], \"quote\": \"\\\"\"}");
        Safetensors.write(f, meta, ts);
        SafetensorsFile back = Safetensors.read(f);
        assertEquals(meta, back.metadata());
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "scalar", "empty", "big"),
                List.copyOf(back.tensors().keySet()));
        for (NamedArray t : ts) assertEquals(t, back.tensor(t.name()));
        assertArrayEquals(new int[0], back.tensor("scalar").shape());
        assertThrows(IllegalArgumentException.class, () -> back.tensor("missing"));
    }

    @Test
    void specialFloatsSurvive() throws IOException {
        Path f = dir.resolve("s.safetensors");
        float[] v = {Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE, Float.MAX_VALUE, -1.5e-30f};
        Safetensors.write(f, Map.of(), List.of(new NamedArray("v", new int[]{6}, v)));
        float[] r = Safetensors.read(f).tensor("v").data();
        for (int i = 0; i < v.length; i++)
            assertEquals(Float.floatToIntBits(v[i]), Float.floatToIntBits(r[i]), "element " + i);
    }

    @Test
    void writtenLayoutFollowsTheSpec() throws IOException {
        Path f = dir.resolve("layout.safetensors");
        Safetensors.write(f, Map.of("k", "v"), List.of(new NamedArray("a", new int[]{2}, new float[]{1f, -2f})));
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        assertEquals(0, n % 8, "header padded to 8 bytes");
        assertEquals(8 + n + 8, bytes.length);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"), header);
        assertTrue(header.endsWith("}") || header.stripTrailing().endsWith("}"), header);
        assertTrue(header.replace(" ", "").contains("\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"), header);
        assertTrue(header.replace(" ", "").contains("\"__metadata__\":{\"k\":\"v\"}"), header);
        assertEquals(1f, bb.getFloat((int) (8 + n)));
        assertEquals(-2f, bb.getFloat((int) (8 + n + 4)));
    }

    /** A file assembled by hand per the format description (no padding, tensors in reverse order). */
    @Test
    void readsAFileBuiltByHand() throws IOException {
        String header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[12,20]},"
                + "\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long len = h.length;
        for (int i = 0; i < 8; i++) out.write((int) (len >>> (8 * i)) & 0xFF);
        out.write(h, 0, h.length);
        for (float v : new float[]{0.5f, -1f, 2f, 3.25f, -4f}) {
            int bits = Float.floatToIntBits(v);
            for (int i = 0; i < 4; i++) out.write((bits >>> (8 * i)) & 0xFF);
        }
        Path f = dir.resolve("hand.safetensors");
        Files.write(f, out.toByteArray());
        SafetensorsFile r = Safetensors.read(f);
        assertEquals(Map.of("format", "pt"), r.metadata());
        assertArrayEquals(new float[]{0.5f, -1f, 2f}, r.tensor("a").data());
        assertArrayEquals(new int[]{3}, r.tensor("a").shape());
        assertArrayEquals(new float[]{3.25f, -4f}, r.tensor("b").data());
        assertArrayEquals(new int[]{1, 2}, r.tensor("b").shape());
    }

    // ---------------------------------------------------------------- damaged files

    private Path good() throws IOException {
        Path f = dir.resolve("good.safetensors");
        Safetensors.write(f, Map.of("m", "1"), List.of(ramp("w", 4, 5), ramp("b", 4)));
        return f;
    }

    /** Writes header JSON plus {@code dataBytes} zero bytes. */
    private Path withHeader(String name, String json, int dataBytes) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bb = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(h.length).put(h);
        Path f = dir.resolve(name);
        Files.write(f, bb.array());
        return f;
    }

    private static void assertFails(Path f, String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains(f.toString()), "message names the file: " + e.getMessage());
        for (String frag : fragments)
            assertTrue(e.getMessage().contains(frag), "message mentions '" + frag + "': " + e.getMessage());
    }

    @Test
    void truncatedFilesFail() throws IOException {
        byte[] full = Files.readAllBytes(good());
        long headerLen = ByteBuffer.wrap(full).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        for (int cut : new int[]{0, 5, 8, 20, (int) (8 + headerLen), full.length - 1}) {
            Path f = dir.resolve("cut" + cut + ".safetensors");
            Files.write(f, Arrays.copyOf(full, cut));
            assertFails(f);
        }
        Path f = dir.resolve("cut-end.safetensors");
        Files.write(f, Arrays.copyOf(full, full.length - 4));
        assertFails(f, "truncated");
    }

    @Test
    void trailingBytesFail() throws IOException {
        byte[] full = Files.readAllBytes(good());
        Path f = dir.resolve("long.safetensors");
        Files.write(f, Arrays.copyOf(full, full.length + 4));
        assertFails(f, "trailing");
    }

    @Test
    void corruptHeadersFail() throws IOException {
        byte[] full = Files.readAllBytes(good());
        Path huge = dir.resolve("huge.safetensors");
        byte[] h = full.clone();
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        Files.write(huge, h);
        assertFails(huge, "declare a header of");

        Path neg = dir.resolve("neg.safetensors");
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -8);
        Files.write(neg, h);
        assertFails(neg, "declare a header of");

        Path garbage = dir.resolve("garbage.safetensors");
        byte[] g = full.clone();
        g[9] = '#';
        Files.write(garbage, g);
        assertFails(garbage, "JSON");

        assertFails(withHeader("notbrace.safetensors", "[1, 2, 3]", 0), "corrupt header");
        assertFails(withHeader("dup.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "JSON");
        assertFails(withHeader("noshape.safetensors", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "shape");
        assertFails(withHeader("badmeta.safetensors", "{\"__metadata__\":{\"x\":1}}", 0), "metadata");
        assertFails(withHeader("negdim.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "shape");
    }

    @Test
    void otherDtypesAreRejected() throws IOException {
        assertFails(withHeader("f16.safetensors", "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
                "F16", "'a'");
    }

    @Test
    void badOffsetsFail() throws IOException {
        String e = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[%d,%d]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[%d,%d]}}";
        assertFails(withHeader("overlap.safetensors", e.formatted(0, 8, 4, 12), 12), "overlaps");
        assertFails(withHeader("range.safetensors", e.formatted(0, 8, 8, 16), 12), "'b'", "12");
        assertFails(withHeader("gap.safetensors", e.formatted(0, 8, 12, 20), 20), "gap");
        assertFails(withHeader("size.safetensors", e.formatted(0, 8, 8, 20), 20), "'b'", "needs 8");
        assertFails(withHeader("reversed.safetensors", e.formatted(8, 0, 8, 16), 16), "'a'");
        assertFails(withHeader("notint.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,\"4\"]}}", 4), "data_offsets");
    }

    @Test
    void missingFileNamesIt() {
        Path f = dir.resolve("nope.safetensors");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("nope.safetensors"), e.getMessage());
    }

    @Test
    void atomicWriteLeavesNoTempFileAndReplaces() throws IOException {
        Path f = dir.resolve("sub/dir/model.safetensors");
        Safetensors.write(f, Map.of(), List.of(ramp("x", 3)));
        Safetensors.write(f, Map.of("v", "2"), List.of(ramp("y", 2)));
        assertEquals(Map.of("v", "2"), Safetensors.read(f).metadata());
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of(f.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void failedWriteKeepsOldFileAndLeavesNoTemp() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        Safetensors.write(f, Map.of("v", "1"), List.of(ramp("x", 3)));
        NamedArray x = ramp("x", 2);
        assertThrows(CheckpointException.class, () -> Safetensors.write(f, Map.of(), List.of(x, x)));
        IOException boom = assertThrows(IOException.class, () -> AtomicFiles.write(f, ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(new byte[]{1, 2, 3}));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", boom.getMessage());
        assertEquals(Map.of("v", "1"), Safetensors.read(f).metadata());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("keep.safetensors"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void namedArrayValidatesShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NamedArray("w", new int[]{2, 3}, new float[5]));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NamedArray("w", new int[]{-1}, new float[0]));
    }
}
