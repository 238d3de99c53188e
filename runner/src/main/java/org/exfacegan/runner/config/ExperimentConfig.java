package org.exfacegan.runner.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One experiment: which backbone and recogniser, the seed, where results go, the sizes, and how
 * labels, boundaries and samples are made (each section optional, with the defaults its record gives).
 *
 * @param name               a label for reports
 * @param seed               every random draw of the run derives from it
 * @param output             output folder, relative to the config file
 * @param backbone           the GAN
 * @param recognizer         the face recogniser
 * @param preset             a recipe whose settings fill every field the config leaves out ("paper": the reference
 *                           code's; see {@link Presets}); null for none
 * @param probes             latents drawn for the probe set (paper: 11,000 drawn, 5,000 used)
 * @param probesUsed         accepted probes used for references, labels and boundaries: the first ones in draw order
 *                           (default: all accepted; paper: 5,000)
 * @param identities         references that become identities (default: every accepted probe used)
 * @param samplesPerIdentity images written per identity (paper: 50-60)
 * @param uniqueness         skip a reference whose embedding has a cosine above this to an accepted one (null: off)
 * @param labels             labelling rule
 * @param fitter             boundary fitter
 * @param sampling           sampling per identity
 * @param dataset            extra outputs
 */
public record ExperimentConfig(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) Long seed,
        @JsonProperty(required = true) String output,
        @JsonProperty(required = true) ComponentConfig backbone,
        @JsonProperty(required = true) ComponentConfig recognizer,
        String preset,
        @JsonProperty(required = true) Integer probes,
        Integer probesUsed,
        Integer identities,
        @JsonProperty(required = true) Integer samplesPerIdentity,
        Double uniqueness,
        LabelConfig labels,
        FitterConfig fitter,
        SamplingConfig sampling,
        DatasetConfig dataset) {

    public ExperimentConfig {
        labels = labels == null ? LabelConfig.DEFAULT : labels;
        fitter = fitter == null ? FitterConfig.DEFAULT : fitter;
        sampling = sampling == null ? SamplingConfig.DEFAULT : sampling;
        dataset = dataset == null ? DatasetConfig.DEFAULT : dataset;
    }
}
