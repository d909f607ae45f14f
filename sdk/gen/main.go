// Command gen writes the Node.js, Python and Go SDKs of the devin package from its schema (schema.json), for
// programs that use the pulumi-resource-devin plugin. `pulumi package gen-sdk` would do the same, but it asks the
// language hosts to generate, and the Node.js host built here cannot; so this calls pkg/v3's generators directly,
// at the CLI's own version.
//
//	go run . <schema.json> <out>   (writes <out>/nodejs, <out>/python and <out>/go)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool is what the generated files name as their generator in their first line.
const tool = "`npm run sdk` (sdk/gen) from schema.json"

// pulumiSDK is the Go SDK the generated Go module requires: the version the CLI and the Node SDK here are pinned to.
const pulumiSDK = "v3.248.0"

// noReferences loads no other package: the devin schema refers to none, and a reference that appeared would
// otherwise make generation look for plugins on this machine.
type noReferences struct{}

func (noReferences) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q; sdk/gen loads no other package", name)
}

func (l noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l noReferences) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	_, err := l.LoadPackage(name, v)
	return nil, err
}

func (l noReferences) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

// bind reads and validates the schema; each language binds its own copy, since a generator records its language's
// settings in the package it is given.
func bind(path string) (*schema.Package, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %s", path, diags.Error())
	}
	return pkg, nil
}

func generate(schemaPath string) (map[string]map[string][]byte, error) {
	out := map[string]map[string][]byte{}
	pkg, err := bind(schemaPath)
	if err != nil {
		return nil, err
	}
	if out["nodejs"], err = nodejsgen.GeneratePackage(tool, pkg, nil, nil, false, noReferences{}); err != nil {
		return nil, fmt.Errorf("nodejs: %w", err)
	}
	// The Node.js SDK is not a package of its own but the `pulumi-devin/plugin` entry of this one, compiled by its
	// tsconfig.json. Its package.json would also declare plugin `devin` ("pulumi": {"resource": true}), and the
	// language host finds such a file anywhere under node_modules: every program using pulumi-devin, dynamic
	// resources included, would then require the plugin. The build writes the one field the code reads, `version`.
	delete(out["nodejs"], "package.json")
	delete(out["nodejs"], "tsconfig.json")
	if pkg, err = bind(schemaPath); err != nil {
		return nil, err
	}
	if out["python"], err = pythongen.GeneratePackage(tool, pkg, nil, noReferences{}); err != nil {
		return nil, fmt.Errorf("python: %w", err)
	}
	if pkg, err = bind(schemaPath); err != nil {
		return nil, err
	}
	if out["go"], err = gogen.GeneratePackage(tool, pkg, nil); err != nil {
		return nil, fmt.Errorf("go: %w", err)
	}
	// A module of its own, so a Go program can require the SDK without this repository's other code; `npm run sdk`
	// completes it with `go mod tidy`.
	out["go"]["go.mod"] = []byte(fmt.Sprintf("module %s\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 %s\n",
		goModulePath(pkg), pulumiSDK))
	return out, nil
}

// goModulePath is the directory above the package's import path: sdk/go holds the module, sdk/go/devin the package.
func goModulePath(pkg *schema.Package) string {
	if info, ok := pkg.Language["go"].(gogen.GoPackageInfo); ok && info.ImportBasePath != "" {
		return filepath.ToSlash(filepath.Dir(info.ImportBasePath))
	}
	return gogen.ExtractModulePath(pkg.Reference())
}

func write(root string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

func run(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: gen <schema.json> <out>")
	}
	sdks, err := generate(args[0])
	if err != nil {
		return err
	}
	for _, language := range []string{"nodejs", "python", "go"} {
		if err := write(filepath.Join(args[1], language), sdks[language]); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "sdk/gen:", err)
		os.Exit(1)
	}
}
