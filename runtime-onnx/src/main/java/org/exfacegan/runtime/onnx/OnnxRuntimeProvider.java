package org.exfacegan.runtime.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelRuntimeProvider;
import org.exfacegan.api.runtime.ModelSession;

/** ONNX Runtime (com.microsoft.onnxruntime) on the CPU, or on CUDA with the onnxruntime_gpu artifact. */
public final class OnnxRuntimeProvider implements ModelRuntimeProvider {
    public static final String NAME = "onnxruntime";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        // reading the manifest does not initialise OrtEnvironment, so no native code loads here
        String v = OrtEnvironment.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    @Override
    public String apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "ONNX Runtime " + version() + " (.onnx; cpu, cuda:N with -Pcuda)";
    }

    @Override
    public Set<String> fileExtensions() {
        return Set.of(".onnx");
    }

    @Override
    public ModelSession open(Path model, ModelOptions options) {
        if (!Files.isRegularFile(model)) {
            throw new ExfaceganException("ONNX model file not found: " + model);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            if (options.threads() > 0) {
                try {
                    so.setIntraOpNumThreads(options.threads());
                } catch (OrtException e) {
                    throw new ExfaceganException("cannot set " + options.threads() + " threads for " + model + ": "
                            + e.getMessage(), e);
                }
            }
            if (options.isCuda()) {
                addCuda(so, options, model);
            }
            OrtSession session;
            try {
                session = env.createSession(model.toString(), so);
            } catch (OrtException e) {
                throw new ExfaceganException("cannot load ONNX model " + model + ": " + e.getMessage(), e);
            }
            try {
                return new OnnxSession(model, env, session, so);
            } catch (RuntimeException e) {
                closeQuietly(session);
                throw e;
            }
        } catch (RuntimeException e) {
            so.close();
            throw e;
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // the first error is the one to report
        }
    }

    private static void addCuda(OrtSession.SessionOptions so, ModelOptions options, Path model) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new ExfaceganException("device " + options.device() + " requested for " + model
                    + ", but this build's ONNX Runtime has no CUDA execution provider (it uses the CPU artifact "
                    + "com.microsoft.onnxruntime:onnxruntime). Rebuild with -Pcuda to use "
                    + "com.microsoft.onnxruntime:onnxruntime_gpu, and install the CUDA 12 and cuDNN 9 libraries; "
                    + "or use device cpu.");
        }
        try {
            so.addCUDA(options.cudaIndex());
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            throw new ExfaceganException("device " + options.device() + " requested for " + model
                    + ", but ONNX Runtime's CUDA execution provider failed to start (are the CUDA 12 and cuDNN 9 "
                    + "libraries on the library path, and does GPU " + options.cudaIndex() + " exist?): "
                    + e.getMessage(), e);
        }
    }
}
