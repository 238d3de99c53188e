"""One graph to export (mapping or synthesis): the module, its tensor names and its batch layout."""
import json


class Graph:
    """`module` takes one batched input (`input`, batch dimension first) followed by `extras`, inputs
    without a batch dimension that every call gets whole (StyleGAN3's [3, 3] transform), and returns
    `output`. `static_batch` > 0 is the batch size baked into the exported graph (0: dynamic);
    `opset` is the one the dynamo exporter uses (the legacy exporter always writes opset 17).
    Exporters trace it on `example_rows` rows (static_batch when set): at least 2, since an example
    batch of 1 lets exporters specialise the batch dimension."""

    def __init__(self, role, module, input, output, static_batch=0, opset=18, extras=(), example_rows=2):
        self.role = role
        self.module = module
        self.input = input
        self.output = output
        self.static_batch = int(static_batch)
        self.opset = opset
        self.extras = list(extras)  # [(name, default value)]
        self.example_rows = self.static_batch or max(2, int(example_rows))

    def input_names(self):
        return [self.input] + [name for name, _ in self.extras]

    def inputs(self, x, extra_values=None):
        """The positional inputs for batch x: x, then each extra (its default unless given by name)."""
        given = extra_values or {}
        return (x,) + tuple(given.get(name, default) for name, default in self.extras)

    def run(self, fn, x, extra_values=None):
        """fn(*inputs) over x as a NumPy array: in chunks of exactly static_batch rows (the last one
        padded by repeating its last row, and the padding dropped from the result) when the batch is
        static, in one call otherwise."""
        import numpy as np
        import torch

        def call(part):
            out = fn(*self.inputs(part, extra_values))
            return out.detach().numpy() if isinstance(out, torch.Tensor) else np.asarray(out)

        if not self.static_batch:
            return call(x)
        outs = []
        for i in range(0, x.shape[0], self.static_batch):
            part = x[i:i + self.static_batch]
            real = part.shape[0]
            if real < self.static_batch:
                part = torch.cat([part, part[-1:].expand(self.static_batch - real, *part.shape[1:])])
            outs.append(call(part)[:real])
        return np.concatenate(outs)

    def example(self, x):
        """Inputs to trace or export with: example_rows rows of x (repeated when x has fewer)."""
        n = self.example_rows
        if x.shape[0] < n:
            import torch

            x = torch.cat([x] * (n // x.shape[0] + 1))
        return self.inputs(x[:n])

    def io_description(self, input_item, output_item):
        """The exfacegan.json the djl-pytorch runtime reads from a .pt: names and shapes, the batch
        dimension -1 when dynamic."""
        batch = [self.static_batch or -1]
        inputs = [{"name": self.input, "shape": batch + list(input_item)}]
        inputs += [{"name": name, "shape": list(value.shape)} for name, value in self.extras]
        return json.dumps({"inputs": inputs, "outputs": [{"name": self.output, "shape": batch + list(output_item)}]})

    def with_static_batch(self, static_batch):
        return Graph(self.role, self.module, self.input, self.output, static_batch, self.opset, self.extras,
                     self.example_rows)
