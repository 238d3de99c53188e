package org.exfacegan.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.exfacegan.api.backbone.LatentSpace;
import org.exfacegan.recognizer.arcface.Landmarks;
import org.exfacegan.runner.config.MaxDistUnit;
import org.exfacegan.runner.config.RecordIoFormat;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.pipeline.fit.FitterType;
import org.exfacegan.runner.pipeline.label.LabelRuleType;
import org.exfacegan.runner.pipeline.sample.SamplingMode;
import org.junit.jupiter.api.Test;

/**
 * Each config choice is listed in the docs exactly as its enum has it: every JSON name, in the
 * enum's order, and nothing else. The docs write a choice as {@code `field` ... one of: `a`, `b`}
 * (in a table row, the field's cell, optionally its default's cell, then the list).
 */
class ChoicesInDocsTest {
    private record Listed(String doc, String field, Class<? extends Enum<?>> choices) {}

    private static final List<Listed> LISTED = List.of(
            new Listed("README.md", "labels.rule", LabelRuleType.class),
            new Listed("README.md", "fitter.type", FitterType.class),
            new Listed("README.md", "sampling.mode", SamplingMode.class),
            new Listed("README.md", "max_dist_unit", MaxDistUnit.class),
            new Listed("README.md", "recordio_format", RecordIoFormat.class),
            new Listed("docs/backbones/stylegan2.md", "latent_space", LatentSpace.class),
            new Listed("docs/backbones/stylegan3.md", "latent_space", LatentSpace.class),
            new Listed("docs/backbones/gansformer.md", "latent_space", LatentSpace.class),
            new Listed("docs/backbones/gancontrol.md", "latent_space", LatentSpace.class),
            new Listed("docs/recognizer-arcface.md", "landmarks", Landmarks.class));

    @Test
    void theDocsListEveryChoiceOfEachEnumAndNothingElse() throws IOException {
        Path root = repositoryRoot();
        for (Listed l : LISTED) {
            String text = Files.readString(root.resolve(l.doc()));
            assertEquals(Json.names(l.choices()), listed(text, l.field()), l.doc() + ", " + l.field());
        }
    }

    /** The parser finds a list, refuses an unlisted or missing one, and reads every value it holds. */
    @Test
    void theListParserSeesWhatIsWritten() {
        assertEquals(List.of("a", "b-c"), listed("| `f` | `a` | one of: `a`, `b-c`. `a` is first |", "f"));
        assertEquals(List.of("x"), listed("text (`g`: one of: `x`; more)", "g"));
        assertEquals(List.of(), listed("| `f` | `a` or `b` |", "f"));
        // two lists for one field are both read, so a stale second list fails the test above
        assertEquals(List.of("a", "b", "c", "d"), listed("| `f` | one of: `a`, `b`, `c` |\n| `f` | one of: `d` |", "f"));
    }

    /** Every value of every list written for {@code field}: the list after "one of: " in its row or sentence. */
    static List<String> listed(String text, String field) {
        Matcher m = Pattern.compile("`" + Pattern.quote(field) + "`(?: \\|(?: [^|\\n]* \\|)?|:) one of: (`[^`]+`(?:, `[^`]+`)*)")
                .matcher(text);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            Arrays.stream(m.group(1).split(", ")).map(v -> v.substring(1, v.length() - 1)).forEach(out::add);
        }
        return out;
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs/backbones"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
