"""A tiny GANsformer-shaped generator (exfacegan test fixture): latents of k components, the k-1
local ones first and the global one last; the mapping lets the local components attend to each
other, the synthesis lets image features attend to them (with positional embeddings `pos`), and
the global component modulates the convolutions. The attention tiles tensors to the batch and
casts its shapes to int, as the official code does (a trace bakes the batch size)."""
import math

import numpy as np
import torch
from torch_utils.ops import conv2d_gradfix
from training.networks_stylegan2 import ModulatedLayer, dense, lrelu


class ComponentAttention(torch.nn.Module):
    def __init__(self, dim, w_dim):
        super().__init__()
        self.query = dense(dim, w_dim)
        self.key = dense(w_dim, w_dim)
        self.value = dense(w_dim, dim)

    def forward(self, x, components, pos, mask):
        """x [n, L, dim] attends to components [n, k-1, w_dim]; returns x updated and the attention [n, L, k-1]."""
        keys = self.key(components + pos.unsqueeze(0).tile([components.shape[0], 1, 1]))
        scores = self.query(x) @ keys.transpose(1, 2) / math.sqrt(keys.shape[-1])
        scores = scores + (1 - mask.unsqueeze(1)) * -10000.0
        probs = torch.softmax(scores, dim=-1)
        shape = [int(d) for d in probs.shape]
        shape[-2] = 1
        probs = probs * torch.ones(shape)  # where the official code drops whole rows in training
        return x + probs @ self.value(components), probs


class MappingNetwork(torch.nn.Module):
    def __init__(self, z_dim, w_dim, k, num_ws):
        super().__init__()
        self.k, self.num_ws = k, num_ws
        self.global_fc = dense(z_dim, w_dim)
        self.local_fc = dense(z_dim, w_dim)
        self.attention = ComponentAttention(w_dim, w_dim)
        self.register_buffer("w_avg", torch.zeros([w_dim]))

    def forward(self, z, c, pos=None, mask=None, truncation_psi=1, truncation_cutoff=None):
        local, glob = torch.split(z, [self.k - 1, 1], dim=1)
        local = local * (local.square().mean(dim=2, keepdim=True) + 1e-8).rsqrt()
        glob = glob * (glob.square().mean(dim=2, keepdim=True) + 1e-8).rsqrt()
        p = lrelu(self.local_fc(local))
        p, _ = self.attention(p, p, pos, mask)
        x = torch.cat([p, lrelu(self.global_fc(glob))], dim=1)  # [n, k, w_dim]
        x = x.unsqueeze(2).repeat([1, 1, self.num_ws, 1])
        if truncation_psi != 1:
            cut = self.num_ws if truncation_cutoff is None else truncation_cutoff
            x[:, :, :cut] = self.w_avg.lerp(x[:, :, :cut], truncation_psi)
        return x


class SynthesisNetwork(torch.nn.Module):
    def __init__(self, w_dim, k, img_resolution, channels=8):
        super().__init__()
        self.k = k
        self.block_resolutions = [2 ** i for i in range(2, int(math.log2(img_resolution)) + 1)]
        self.const = torch.nn.Parameter(torch.randn([channels, 4, 4]))
        self.layers = torch.nn.ModuleList([ModulatedLayer(w_dim, channels, channels, r, up=r > 4)
                                           for r in self.block_resolutions])
        self.attention = torch.nn.ModuleList([ComponentAttention(channels, w_dim) for _ in self.block_resolutions])
        self.torgb_affine = dense(w_dim, channels, bias_init=1.0)
        self.torgb_weight = torch.nn.Parameter(torch.randn([3, channels, 1, 1]) / math.sqrt(channels))
        self.num_ws = len(self.layers) + 1

    def forward(self, ws, pos=None, mask=None, noise_mode="random", fused_modconv=None):
        if fused_modconv is None:
            fused_modconv = not self.training
        x = self.const.unsqueeze(0).repeat([ws.shape[0], 1, 1, 1])
        maps = []
        for i, (layer, attention) in enumerate(zip(self.layers, self.attention)):
            x = layer(x, ws[:, -1, i], noise_mode, fused_modconv)
            n, c, h, w = x.shape
            flat, att = attention(x.reshape(n, c, h * w).transpose(1, 2), ws[:, :-1, i], pos, mask)
            x = flat.transpose(1, 2).reshape(n, c, h, w)
            maps.append(att)
        img = conv2d_gradfix.conv2d(x * self.torgb_affine(ws[:, -1, -1])[:, :, None, None], self.torgb_weight)
        return img, maps[-1]


class Generator(torch.nn.Module):
    def __init__(self, z_dim=8, w_dim=8, k=4, img_resolution=16, channels=8):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim, self.k, self.img_resolution = z_dim, 0, w_dim, k, img_resolution
        self.pos = np.random.RandomState(k).uniform(-1, 1, [k - 1, w_dim]).astype(np.float32)
        self.synthesis = SynthesisNetwork(w_dim, k, img_resolution, channels)
        self.num_ws = self.synthesis.num_ws
        self.mapping = MappingNetwork(z_dim, w_dim, k, self.num_ws)

    def forward(self, z=None, c=None, ws=None, truncation_psi=1, truncation_cutoff=None, **synthesis_kwargs):
        pos = torch.from_numpy(self.pos)
        mask = torch.ones([(z if z is not None else ws).shape[0], self.k - 1])
        if ws is None:
            ws = self.mapping(z, c, pos=pos, mask=mask, truncation_psi=truncation_psi, truncation_cutoff=truncation_cutoff)
        img, _ = self.synthesis(ws, pos=pos, mask=mask, **synthesis_kwargs)
        return (img,)
