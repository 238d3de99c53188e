package org.exfacegan.training.net;

import java.util.ArrayList;
import java.util.List;
import org.exfacegan.training.torchscript.ScriptClass;
import org.exfacegan.training.torchscript.ScriptModule;

/**
 * insightface's iResNet (arcface_torch {@code iresnet.py} layout and parameter names): a 3x3 stem
 * with BN and PReLU, four stages of improved basic blocks (BN, conv 3x3, BN, PReLU, conv 3x3 with
 * the stage's stride 2, BN; a 1x1 conv + BN shortcut where the shape changes), then the
 * BN-Dropout-FC-BN head on the 7x7 map to the embedding (the last BN's scale fixed at 1).
 * 112x112 input; stage widths 64, 128, 256, 512 times {@code width}. A stem stride of 2 (ours, not
 * insightface's) halves every feature map, a quarter of the work, for demo-sized nets.
 */
final class IResNet {
    static final double BN_EPS = 1e-5;

    private IResNet() {}

    static ScriptModule build(Layers l, int[] blocksPerStage, double width, int embedding, double dropout, int stemStride) {
        int[] widths = {Layers.scaled(64, width), Layers.scaled(128, width), Layers.scaled(256, width), Layers.scaled(512, width)};
        ScriptClass plain = block(l, "IBasicBlock", false);
        ScriptClass down = block(l, "IBasicBlockDownsample", true);
        ScriptClass net = new ScriptClass("IResNet").module("conv1", l.conv).module("bn1", l.batchNorm).module("prelu", l.prelu);
        List<ScriptModule> stages = new ArrayList<>();
        int in = widths[0];
        for (int s = 0; s < 4; s++) {
            List<ScriptModule> blocks = new ArrayList<>();
            for (int b = 0; b < blocksPerStage[s]; b++) {
                boolean first = b == 0;
                ScriptModule m = new ScriptModule(first ? down : plain)
                        .set("bn1", l.batchNorm(first ? in : widths[s], BN_EPS))
                        .set("conv1", l.conv(first ? in : widths[s], widths[s], 3, 1, 1, 1))
                        .set("bn2", l.batchNorm(widths[s], BN_EPS))
                        .set("prelu", l.prelu(widths[s]))
                        .set("conv2", l.conv(widths[s], widths[s], 3, first ? 2 : 1, 1, 1))
                        .set("bn3", l.batchNorm(widths[s], BN_EPS));
                if (first) {
                    m.set("downsample", l.sequential(List.of(l.conv(in, widths[s], 1, 2, 0, 1), l.batchNorm(widths[s], BN_EPS))));
                }
                blocks.add(m);
            }
            ScriptModule stage = l.sequential(blocks);
            stages.add(stage);
            net.module("layer" + (s + 1), stage.type());
            in = widths[s];
        }
        net.module("bn2", l.batchNorm).module("fc", l.linear).module("features", l.batchNorm);
        net.line("x = self.prelu.forward(self.bn1.forward(self.conv1.forward(x)))");
        for (int s = 1; s <= 4; s++) {
            net.line("x = self.layer" + s + ".forward(x)");
        }
        net.line("x = torch.flatten(self.bn2.forward(x), 1)")
                .line("x = torch.dropout(x, " + dropout + ", self.training)")
                .line("return self.features.forward(self.fc.forward(x))");
        int spatial = 112;
        for (int halvings = stemStride == 2 ? 5 : 4; halvings > 0; halvings--) {
            spatial = (spatial - 1) / 2 + 1; // 3x3, stride 2, padding 1
        }
        ScriptModule m = new ScriptModule(net).set("conv1", l.conv(3, widths[0], 3, stemStride, 1, 1))
                .set("bn1", l.batchNorm(widths[0], BN_EPS)).set("prelu", l.prelu(widths[0]));
        for (int s = 0; s < 4; s++) {
            m.set("layer" + (s + 1), stages.get(s));
        }
        return m.set("bn2", l.batchNorm(widths[3], BN_EPS))
                .set("fc", l.linear(widths[3] * spatial * spatial, embedding, true))
                .set("features", l.batchNorm(embedding, BN_EPS, false));
    }

    private static ScriptClass block(Layers l, String name, boolean downsample) {
        ScriptClass c = new ScriptClass(name).module("bn1", l.batchNorm).module("conv1", l.conv).module("bn2", l.batchNorm)
                .module("prelu", l.prelu).module("conv2", l.conv).module("bn3", l.batchNorm);
        if (downsample) {
            c.module("downsample", l.sequentialType(List.of(l.conv, l.batchNorm)));
        }
        return c.line("out = self.bn3.forward(self.conv2.forward(self.prelu.forward(self.bn2.forward(self.conv1.forward("
                        + "self.bn1.forward(x))))))")
                .line(downsample ? "return out + self.downsample.forward(x)" : "return out + x");
    }
}
