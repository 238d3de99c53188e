package org.exfacegan.api.backbone;

/**
 * The latent space a backbone fits and moves identity boundaries in ({@link LatentLayout#space()}),
 * chosen by its {@code latent_space} option. A config names it by {@link #jsonName()}; this list is
 * the only one (bindings, checks, messages and docs read it).
 */
public enum LatentSpace {
    /** The mapping network's output, before truncation (the paper's choice). */
    W("w"),
    /** The input noise. */
    Z("z");

    private final String jsonName;

    LatentSpace(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name in configs and files: "w" or "z". */
    public String jsonName() {
        return jsonName;
    }

    @Override
    public String toString() {
        return jsonName;
    }

    /** The space of a JSON name; an IllegalArgumentException naming the values otherwise. */
    public static LatentSpace of(String name) {
        for (LatentSpace s : values()) {
            if (s.jsonName.equals(name)) {
                return s;
            }
        }
        StringBuilder names = new StringBuilder();
        for (LatentSpace s : values()) {
            names.append(names.length() == 0 ? "" : ", ").append('"').append(s.jsonName).append('"');
        }
        throw new IllegalArgumentException("latent_space must be one of " + names + "; got \"" + name + "\"");
    }
}
