// MLP checkpoints: round trip with PyTorch names and shapes; clear errors for configs and shapes that do not fit.
package curex.engine.checkpoint;

import curex.engine.autograd.Activation;
import curex.engine.io.CheckpointException;
import curex.engine.io.NamedArray;
import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;
import curex.engine.model.Model;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
import curex.kernels.Backend;
import curex.engine.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCheckpointTest {
    private final Backend be = TestBackends.open();
    private final MlpConfig config = MlpConfig.of(Activation.GELU, 5, 7, 3);

    @Test
    void roundTrip(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("teacher.safetensors");
        try (Mlp mlp = Mlp.create(be, config, 11)) {
            ModelCheckpoint.save(file, mlp, Map.of("step", "100"));
            SafetensorsFile f = Safetensors.read(file);
            assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
                    new ArrayList<>(f.tensors().keySet()));
            assertArrayEquals(new int[]{7, 5}, f.tensor("layers.0.weight").shape());   // (out, in)
            assertEquals("5,7,3", f.metadata().get("widths"));
            assertEquals("100", f.metadata().get("step"));
            try (Model back = ModelCheckpoint.load(file, be)) {
                assertEquals(config, back.config());
                assertArrayEquals(mlp.parameters().valuesToHost(), back.parameters().valuesToHost());
            }
        }
    }

    @Test
    void wrongShapeNamesFileAndTensor(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.safetensors");
        List<NamedArray> arrays = new ArrayList<>();
        try (Mlp mlp = Mlp.create(be, config, 1)) {
            for (NamedArray a : ModelCheckpoint.arrays(mlp))
                arrays.add(a.name().equals("layers.1.weight") ? new NamedArray(a.name(), new int[]{7, 3}, a.data()) : a);
        }
        Safetensors.write(file, config.metadata(), arrays);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelCheckpoint.load(file, be));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("layers.1.weight")
                && e.getMessage().contains("[3, 7]"), e.getMessage());
    }

    @Test
    void missingConfigOrTensorOrOtherModel(@TempDir Path dir) throws Exception {
        Path noMeta = dir.resolve("nometa.safetensors"), partial = dir.resolve("partial.safetensors");
        Path other = dir.resolve("other.safetensors");
        try (Mlp mlp = Mlp.create(be, config, 1); Mlp wide = Mlp.create(be, MlpConfig.of(Activation.GELU, 5, 9, 3), 1)) {
            Safetensors.write(noMeta, Map.of(), ModelCheckpoint.arrays(mlp));
            Safetensors.write(partial, config.metadata(), ModelCheckpoint.arrays(mlp).subList(0, 3));
            ModelCheckpoint.save(other, wide, Map.of());
            assertTrue(assertThrows(CheckpointException.class, () -> ModelCheckpoint.load(noMeta, be))
                    .getMessage().contains("not a curex model"));
            assertTrue(assertThrows(CheckpointException.class, () -> ModelCheckpoint.load(partial, be))
                    .getMessage().contains("missing tensor 'layers.1.bias'"));
            assertTrue(assertThrows(CheckpointException.class, () -> ModelCheckpoint.loadInto(other, mlp))
                    .getMessage().contains("MLP 5-9-3"));
        }
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheTensor(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nan.safetensors");
        List<NamedArray> arrays = new ArrayList<>();
        try (Mlp mlp = Mlp.create(be, config, 1)) {
            for (NamedArray a : ModelCheckpoint.arrays(mlp)) {
                float[] d = a.data().clone();
                if (a.name().equals("layers.1.bias")) d[2] = Float.NaN;
                arrays.add(new NamedArray(a.name(), a.shape(), d));
            }
        }
        Safetensors.write(file, config.metadata(), arrays);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelCheckpoint.load(file, be));
        assertTrue(e.getMessage().contains("'layers.1.bias' holds NaN at element 2"), e.getMessage());
    }
}
