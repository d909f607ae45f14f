// The root project's entry point (see Pulumi.yaml): the quickstart program in examples/quickstart.
export * from "./examples/quickstart";
