package org.exfacegan.training.net;

import java.util.ArrayList;
import java.util.List;
import org.exfacegan.training.torchscript.ScriptClass;
import org.exfacegan.training.torchscript.ScriptModule;

/**
 * MobileFaceNet as its paper describes it (Chen et al., 2018, Table 1): a 3x3 stride-2 conv and a
 * 3x3 depthwise conv, inverted-residual bottlenecks (1x1 expand, 3x3 depthwise, 1x1 linear
 * projection; a residual where stride 1 keeps the shape) with PReLU, a 1x1 conv to 512 channels, a
 * global depthwise 7x7 conv (GDConv, linear), then a linear layer to the embedding and BN.
 * Channels times {@code width}; 112x112 input.
 */
final class MobileFaceNet {
    static final double BN_EPS = 1e-5;
    /** (expansion t, output channels c, repeats n, first stride s) per bottleneck stage, as the paper's table. */
    private static final int[][] STAGES = {{2, 64, 5, 2}, {4, 128, 1, 2}, {2, 128, 6, 1}, {4, 128, 1, 2}, {2, 128, 2, 1}};

    private MobileFaceNet() {}

    static ScriptModule build(Layers l, double width, int embedding) {
        ScriptClass convBnPrelu = new ScriptClass("ConvBnPrelu").module("conv", l.conv).module("bn", l.batchNorm)
                .module("prelu", l.prelu).line("return self.prelu.forward(self.bn.forward(self.conv.forward(x)))");
        ScriptClass convBn = new ScriptClass("ConvBn").module("conv", l.conv).module("bn", l.batchNorm)
                .line("return self.bn.forward(self.conv.forward(x))");
        ScriptClass bottleneck = bottleneck("Bottleneck", convBnPrelu, convBn, false);
        ScriptClass residual = bottleneck("BottleneckResidual", convBnPrelu, convBn, true);

        int c64 = Layers.scaled(64, width);
        int c512 = Layers.scaled(512, width);
        List<ScriptModule> blocks = new ArrayList<>();
        int in = c64;
        for (int[] stage : STAGES) {
            int out = Layers.scaled(stage[1], width);
            for (int i = 0; i < stage[2]; i++) {
                int stride = i == 0 ? stage[3] : 1;
                int hidden = in * stage[0];
                boolean res = stride == 1 && in == out;
                blocks.add(new ScriptModule(res ? residual : bottleneck)
                        .set("expand", cbp(l, convBnPrelu, in, hidden, 1, 1, 0, 1))
                        .set("depthwise", cbp(l, convBnPrelu, hidden, hidden, 3, stride, 1, hidden))
                        .set("project", cb(l, convBn, hidden, out, 1, 1, 0, 1)));
                in = out;
            }
        }
        ScriptModule body = l.sequential(blocks);
        ScriptClass net = new ScriptClass("MobileFaceNet").module("conv1", convBnPrelu).module("conv2_dw", convBnPrelu)
                .module("blocks", body.type()).module("conv_sep", convBnPrelu).module("gdc", convBn)
                .module("linear", l.linearNoBias).module("features", l.batchNorm)
                .line("x = self.conv2_dw.forward(self.conv1.forward(x))")
                .line("x = self.conv_sep.forward(self.blocks.forward(x))")
                .line("x = torch.flatten(self.gdc.forward(x), 1)")
                .line("return self.features.forward(self.linear.forward(x))");
        return new ScriptModule(net)
                .set("conv1", cbp(l, convBnPrelu, 3, c64, 3, 2, 1, 1))
                .set("conv2_dw", cbp(l, convBnPrelu, c64, c64, 3, 1, 1, c64))
                .set("blocks", body)
                .set("conv_sep", cbp(l, convBnPrelu, in, c512, 1, 1, 0, 1))
                .set("gdc", cb(l, convBn, c512, c512, 7, 1, 0, c512))
                .set("linear", l.linear(c512, embedding, false))
                .set("features", l.batchNorm(embedding, BN_EPS));
    }

    private static ScriptClass bottleneck(String name, ScriptClass convBnPrelu, ScriptClass convBn, boolean residual) {
        return new ScriptClass(name).module("expand", convBnPrelu).module("depthwise", convBnPrelu).module("project", convBn)
                .line("out = self.project.forward(self.depthwise.forward(self.expand.forward(x)))")
                .line(residual ? "return out + x" : "return out");
    }

    private static ScriptModule cbp(Layers l, ScriptClass type, int in, int out, int k, int stride, int pad, int groups) {
        return new ScriptModule(type).set("conv", l.conv(in, out, k, stride, pad, groups)).set("bn", l.batchNorm(out, BN_EPS))
                .set("prelu", l.prelu(out));
    }

    private static ScriptModule cb(Layers l, ScriptClass type, int in, int out, int k, int stride, int pad, int groups) {
        return new ScriptModule(type).set("conv", l.conv(in, out, k, stride, pad, groups)).set("bn", l.batchNorm(out, BN_EPS));
    }
}
