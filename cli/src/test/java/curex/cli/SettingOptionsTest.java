// Every engine setting a refusal can name maps to an option that train or distill really has.
package curex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import curex.engine.settings.SettingException;
import curex.engine.settings.SettingException.Setting;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SettingOptionsTest {
    @Test
    void everySettingNamesAnOptionOfTrainOrDistill() {
        CommandLine main = Main.commandLine();
        for (Setting s : Setting.values()) {
            String option = SettingOptions.of(s);
            assertNotNull(option, s + " has no option");
            boolean found = false;
            for (String command : new String[] {"train", "distill"})
                found |= main.getSubcommands().get(command).getCommandSpec().findOption(option) != null;
            assertTrue(found, s + ": neither train nor distill has " + option);
        }
    }

    @Test
    void aRefusalStartsWithItsOptionsAndOtherwiseWithTheFallback() {
        assertEquals("--mlp-ratio/--d-model: too wide", SettingOptions.prefixed(
                new SettingException("too wide", Setting.MLP_RATIO, Setting.D_MODEL), "--layers"));
        assertEquals("--layers: no hidden layer", SettingOptions.prefixed(
                new IllegalArgumentException("no hidden layer"), "--layers"));
        assertEquals("bad temperature", SettingOptions.prefixed(new IllegalArgumentException("bad temperature"), null));
    }
}
