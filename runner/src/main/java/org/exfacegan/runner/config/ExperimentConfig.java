package org.exfacegan.runner.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One experiment: which backbone and recogniser, the seed, where results go, and the sizes.
 *
 * @param name               a label for reports
 * @param seed               every random draw of the run derives from it
 * @param output             output folder, relative to the config file
 * @param backbone           the GAN
 * @param recognizer         the face recogniser
 * @param probes             latents in the probe set (paper: 5,000 used)
 * @param identities         references that become identities (default: all probes)
 * @param samplesPerIdentity images written per identity (paper: 50-60)
 */
public record ExperimentConfig(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) Long seed,
        @JsonProperty(required = true) String output,
        @JsonProperty(required = true) ComponentConfig backbone,
        @JsonProperty(required = true) ComponentConfig recognizer,
        @JsonProperty(required = true) Integer probes,
        Integer identities,
        @JsonProperty(required = true) Integer samplesPerIdentity) {
}
