package org.exfacegan.runtime.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;
import org.exfacegan.runtime.AbstractModelSession;

/** One TorchScript module; inputs go to forward() in the described order, outputs are taken in order. */
final class DjlSession extends AbstractModelSession {
    private final NDManager manager;
    private final PtSymbolBlock block;

    DjlSession(Path file, NDManager manager, PtSymbolBlock block, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        super(file, DjlPytorchProvider.NAME, inputs, outputs);
        this.manager = manager;
        this.block = block;
    }

    @Override
    protected Map<String, FloatTensor> runChecked(Map<String, FloatTensor> given) {
        List<TensorSpec> outSpecs = outputs();
        // a sub-manager per call frees every native array of the call when closed
        try (NDManager call = manager.newSubManager()) {
            NDList in = new NDList();
            for (TensorSpec spec : inputs()) {
                FloatTensor t = given.get(spec.name());
                in.add(call.create(t.data(), new Shape(t.shape())));
            }
            NDList out;
            try {
                out = block.forward(new ParameterStore(call, false), in, false);
            } catch (RuntimeException e) {
                throw new ExfaceganException("TorchScript model " + file() + " failed to run: " + e.getMessage(), e);
            }
            if (out.size() != outSpecs.size()) {
                throw new ExfaceganException("TorchScript model " + file() + " returned " + out.size()
                        + " outputs but its description lists " + outSpecs.size() + ": " + outSpecs);
            }
            Map<String, FloatTensor> result = new LinkedHashMap<>();
            for (int i = 0; i < out.size(); i++) {
                NDArray a = out.get(i);
                if (a.getDataType() != DataType.FLOAT32) {
                    a = a.toType(DataType.FLOAT32, false);
                }
                result.put(outSpecs.get(i).name(), new FloatTensor(a.getShape().getShape(), a.toFloatArray()));
            }
            return result;
        }
    }

    @Override
    protected void release() {
        try {
            block.close();
        } finally {
            manager.close();
        }
    }
}
