// RunPlugin for the Node.js language host that scripts/ensure-pulumi.sh builds (sdk v3.68.0, whose RunPlugin only
// answers "not supported"); the script adds this file to that host's sources in place of the stub.
//
// The pinned CLI (v3.248.0) starts a Node.js policy pack (`--policy-pack <dir>`) by calling RunPlugin with kind
// "analyzer" on the nodejs language host whenever one is installed, and runs a `pulumi-analyzer-policy-<runtime>`
// executable only when none is (sdk/go/common/resource/plugin/analyzer_plugin.go, NewPolicyAnalyzer). This RunPlugin
// runs the pack the way older CLIs did: the `pulumi-analyzer-policy` launcher (next to this executable, else on PATH)
// in the pack's directory, with the engine's arguments followed by the pack's directory. Other plugin kinds stay
// unsupported.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const policyLauncher = "pulumi-analyzer-policy"

func (host *nodeLanguageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	kind, dir := runPluginKindAndDir(req)
	if kind != "analyzer" || dir == "" {
		return errors.New("not supported")
	}
	launcher := ""
	if self, err := os.Executable(); err == nil {
		launcher = filepath.Join(filepath.Dir(self), policyLauncher)
	}
	if _, err := os.Stat(launcher); launcher == "" || err != nil {
		if launcher, err = exec.LookPath(policyLauncher); err != nil {
			return fmt.Errorf("cannot start the policy pack in %s: %s is neither next to the language host nor on PATH",
				dir, policyLauncher)
		}
	}

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	// The engine sends [logging flags..., engine address]; run-policy-pack takes <engine address> <program>.
	args := append(append([]string{}, req.GetArgs()...), dir)
	cmd := exec.CommandContext(server.Context(), launcher, args...)
	cmd.Dir = dir
	cmd.Env = req.GetEnv()
	if len(cmd.Env) == 0 {
		cmd.Env = os.Environ()
	}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("policy pack in %s exited with code %d", dir, exitErr.ExitCode())
		}
		return fmt.Errorf("could not run %s: %w", launcher, err)
	}
	return closer.Close()
}

// runPluginKindAndDir reads two fields this host's protocol predates, from the request's unknown fields: kind (6)
// and the program info (5), whose program_directory is field 2.
func runPluginKindAndDir(req *pulumirpc.RunPluginRequest) (kind, dir string) {
	for num, value := range bytesFields(req.ProtoReflect().GetUnknown()) {
		switch num {
		case 5:
			dir = string(bytesFields(value)[2])
		case 6:
			kind = string(value)
		}
	}
	return kind, dir
}

// bytesFields returns the length-delimited fields of an encoded message by number (the last one wins, as in proto3).
func bytesFields(b []byte) map[protowire.Number][]byte {
	fields := map[protowire.Number][]byte{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fields
		}
		b = b[n:]
		if typ == protowire.BytesType {
			value, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return fields
			}
			fields[num] = value
			b = b[m:]
			continue
		}
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return fields
		}
		b = b[m:]
	}
	return fields
}
