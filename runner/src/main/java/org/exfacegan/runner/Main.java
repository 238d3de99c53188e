package org.exfacegan.runner;

/** Entry point of the exfacegan command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(0);
    }
}
