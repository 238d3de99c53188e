package org.exfacegan.training.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runtime.djl.DjlPytorchProvider;

/**
 * A TorchScript network loaded into DJL's PyTorch engine for training: its trainable parameters (all
 * but the fixed ones named by the caller, such as the iResNet's last BN scale: a module libtorch
 * saved does not keep the flag), a forward pass in training or inference mode, and saving the
 * module back as TorchScript.
 */
public final class TorchNetwork implements AutoCloseable {
    private final NDManager manager;
    private final PtSymbolBlock block;
    private final List<PtNDArray> trainable = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    private TorchNetwork(NDManager manager, PtSymbolBlock block, Set<String> fixed) {
        this.manager = manager;
        this.block = block;
        for (NDArray p : JniUtils.moduleGetParams(block, (PtNDManager) manager)) {
            PtNDArray param = (PtNDArray) p;
            boolean train = fixed == null ? JniUtils.requiresGrad(param) : !fixed.contains(param.getName());
            param.setRequiresGradient(train);
            if (train) {
                trainable.add(param);
                names.add(param.getName());
            }
        }
    }

    /**
     * @param fixed parameters that must not train, by state_dict name; null: as the file's
     *              requires_grad flags say (true of the archives we write, not of libtorch's saves)
     */
    public static TorchNetwork load(Path file, Device device, Set<String> fixed) {
        NDManager manager = DjlPytorchProvider.engine().newBaseManager(device);
        try {
            PtSymbolBlock block = JniUtils.loadModule((PtNDManager) manager, file, true, new String[0], new String[0], true);
            // libtorch loads the module in eval mode while DJL's block believes it is training, and DJL only
            // switches on a change: without this, steps before the first evaluation would run in eval mode
            JniUtils.enableTrainingMode(block);
            return new TorchNetwork(manager, block, fixed);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            manager.close();
            throw new ExfaceganException("cannot load TorchScript network " + file + " for training: " + e.getMessage(), e);
        }
    }

    public NDManager manager() {
        return manager;
    }

    /** Parameters the optimiser updates, in the module's order. */
    public List<PtNDArray> trainable() {
        return trainable;
    }

    public List<String> trainableNames() {
        return names;
    }

    /** Runs forward on {@code input} [n, 3, 112, 112]; the output lives in the input's manager. */
    public NDArray forward(NDArray input, boolean training) {
        return block.forward(new ParameterStore(input.getManager(), false), new NDList(input), training).singletonOrThrow();
    }

    /** Embeddings (raw, not normalised) of NCHW input floats, in inference mode. */
    public float[] embed(float[] input, int count) {
        try (NDManager call = manager.newSubManager()) {
            NDArray x = call.create(input, new Shape(count, 3, 112, 112));
            return forward(x, false).toFloatArray();
        }
    }

    /** The module as TorchScript, as libtorch saves it (all parameters and buffers, the same code). */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            JniUtils.writeModule(block, out, false);
        } catch (RuntimeException e) {
            throw new ExfaceganException("libtorch could not save the network: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        try {
            block.close();
        } finally {
            manager.close();
        }
    }
}
