package org.exfacegan.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;
import org.exfacegan.runtime.AbstractModelSession;

/** One OrtSession; float tensors in and out. */
final class OnnxSession extends AbstractModelSession {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession.SessionOptions options;

    OnnxSession(Path file, OrtEnvironment env, OrtSession session, OrtSession.SessionOptions options) {
        super(file, OnnxRuntimeProvider.NAME, specs(file, "input", session::getInputInfo),
                specs(file, "output", session::getOutputInfo));
        this.env = env;
        this.session = session;
        this.options = options;
    }

    private interface Infos {
        Map<String, NodeInfo> get() throws OrtException;
    }

    private static List<TensorSpec> specs(Path file, String role, Infos infos) {
        List<TensorSpec> specs = new ArrayList<>();
        try {
            for (NodeInfo n : infos.get().values()) {
                if (!(n.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
                    throw new ExfaceganException("model " + file + ": " + role + " '" + n.getName()
                            + "' is " + n.getInfo() + "; only float32 tensors are supported");
                }
                specs.add(new TensorSpec(n.getName(), t.getShape())); // ORT reports symbolic dims as -1
            }
        } catch (OrtException e) {
            throw new ExfaceganException("cannot read the " + role + "s of ONNX model " + file + ": " + e.getMessage(), e);
        }
        return specs;
    }

    @Override
    protected Map<String, FloatTensor> runChecked(Map<String, FloatTensor> given) {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (Map.Entry<String, FloatTensor> e : given.entrySet()) {
                FloatTensor t = e.getValue();
                feed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(t.data()), t.shape()));
            }
            try (OrtSession.Result result = session.run(feed)) {
                Map<String, FloatTensor> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    out.put(e.getKey(), new FloatTensor(t.getInfo().getShape(), t.getFloatBuffer().array()));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new ExfaceganException("ONNX model " + file() + " failed to run: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    protected void release() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ExfaceganException("closing ONNX model " + file() + " failed: " + e.getMessage(), e);
        } finally {
            options.close();
        }
    }
}
