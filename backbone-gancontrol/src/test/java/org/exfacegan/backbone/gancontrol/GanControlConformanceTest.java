package org.exfacegan.backbone.gancontrol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.JsonReader;
import org.exfacegan.api.backbone.BackboneProvider;
import org.exfacegan.api.backbone.LatentSpace;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.testing.BackboneConformanceSuite;
import org.exfacegan.api.testing.TinyGan;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runtime.DefaultModelHost;

/** The api's conformance suite on tiny models described in the gancontrol descriptor format. */
class GanControlConformanceTest extends BackboneConformanceSuite {
    private static final ModelHost HOST = DefaultModelHost.fromServiceLoader();
    static final TinyGan.Spec SPEC = new TinyGan.Spec("gancontrol", 0, 6, 6, 4, 4, 0);

    @Override
    protected BackboneProvider provider() {
        return new GanControlProvider();
    }

    @Override
    protected ModelHost modelHost() {
        return HOST;
    }

    @Override
    protected JsonReader jsonReader() {
        return PluginJson.READER;
    }

    @Override
    protected TinyGan.Spec spec() {
        return SPEC;
    }

    @Override
    protected Object settings(double psi, int cutoff, String latentSpace) {
        return new GanControlSettings(psi, cutoff, LatentSpace.of(latentSpace));
    }

    @Override
    protected Object bindSettings(String json) throws Exception {
        return Json.MAPPER.readValue(json, GanControlSettings.class); // as the host binds config options
    }

    @Override
    protected int defaultCutoff() {
        return Integer.MAX_VALUE;
    }

    @Override
    protected Path writeModel(Path folder, TinyGan.Options o) {
        return TinyGan.writeDescriptor(folder.resolve("descriptor.json"), descriptor(new TinyGan(SPEC), folder, o));
    }

    /** The tiny model's files, described as a GAN-Control export: sub-latents id [0, 3), expression [3, 5), other [5, 6). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> descriptor(TinyGan gan, Path folder, TinyGan.Options o) {
        Map<String, Object> shared = gan.write(folder, o);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("format_version", 1);
        d.put("backbone", "gancontrol");
        d.put("latent_dim", SPEC.zDim());
        d.put("num_ws", SPEC.numWs());
        d.put("resolution", SPEC.resolution());
        Map<String, Object> subLatents = new LinkedHashMap<>();
        subLatents.put("id", List.of(0, 3));
        subLatents.put("expression", List.of(3, 5));
        subLatents.put("other", List.of(5, 6));
        d.put("sub_latents", subLatents);
        List<Object> wAvg = new ArrayList<>();
        for (float v : gan.wAvg()) {
            wAvg.add(v);
        }
        d.put("w_avg", wAvg);
        d.put("mapping", new LinkedHashMap<>(Map.of("file", "mapping.onnx")));
        Map<String, Object> synthesis = new LinkedHashMap<>(Map.of("file", "synthesis.onnx"));
        for (String factors : List.of("ground_truth_output", "nuisance_output")) {
            Object output = ((Map<String, Object>) shared.get("synthesis")).get(factors);
            if (output != null) {
                synthesis.put(factors, output);
            }
        }
        d.put("synthesis", synthesis);
        d.put("source", Map.of("note", "tiny test model"));
        return d;
    }
}
