// A Node.js language host for the Pulumi engine, written here because upstream's
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not served by the module proxy at any
// version. It speaks the engine's LanguageRuntime protocol from github.com/pulumi/pulumi/sdk/v3 (the release of
// the CLI) and does only what `pulumi preview/up/refresh/destroy` of a Node.js program needs: it reports the
// plugins the program's node_modules declare, and runs the program with the SDK's own runner
// (@pulumi/pulumi/cmd/run, which does the real work: ts-node, config, the resource monitor connection), passing the
// arguments and environment that runner reads. Not implemented (the engine gets "unimplemented"): dependency
// installation, `pulumi new` templates, code generation, packing, debugging, plugins written in Node.js.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is set by the build (-X main.version=…): the release of the SDK this host is built against.
var version = "dev"

// The runner's exit code for "the program already printed an actionable error": the engine adds nothing.
const exitAfterUserMessage = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.String("tracing", "", "ignored (no tracing here)")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	engine := ""
	if flag.NArg() > 0 {
		engine = flag.Arg(0)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if engine != "" {
		// Exit when the engine goes away (the engine never leaves a host behind).
		if err := rpcutil.Healthcheck(ctx, engine, 5*time.Minute, cancel); err != nil {
			fmt.Fprintf(os.Stderr, "health check of the engine at %s: %v\n", engine, err)
			os.Exit(1)
		}
	}
	stop := make(chan bool)
	go func() { <-ctx.Done(); close(stop) }()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{engineAddress: engine})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "could not serve the language host: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "language host stopped: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version, "v")}, nil
}

func (h *host) Handshake(context.Context, *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// packageJSON is the part of a package.json this host reads: a Pulumi resource plugin declares itself with
// `"pulumi": {"resource": true, "name": …, "version": …}` (the convention @pulumi/* packages follow).
type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// nodeModules is the nearest node_modules folder at or above dir.
func nodeModules(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		nm := filepath.Join(d, "node_modules")
		if st, err := os.Stat(nm); err == nil && st.IsDir() {
			return nm, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no node_modules at or above %s (run npm ci)", dir)
		}
	}
}

// plugins lists the resource plugins declared by the packages directly in node_modules (and its @scope folders).
func plugins(dir string) ([]*pulumirpc.PackageDependency, error) {
	nm, err := nodeModules(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	entries, err := os.ReadDir(nm)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "@") {
			scoped, _ := os.ReadDir(filepath.Join(nm, e.Name()))
			for _, s := range scoped {
				files = append(files, filepath.Join(nm, e.Name(), s.Name(), "package.json"))
			}
		} else {
			files = append(files, filepath.Join(nm, e.Name(), "package.json"))
		}
	}
	sort.Strings(files)
	var out []*pulumirpc.PackageDependency
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var p packageJSON
		if json.Unmarshal(raw, &p) != nil || p.Pulumi == nil || !p.Pulumi.Resource {
			continue
		}
		name := p.Pulumi.Name
		if name == "" {
			name = strings.TrimPrefix(p.Name, "@pulumi/")
		}
		v := p.Pulumi.Version
		if v == "" {
			v = p.Version
		}
		out = append(out, &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: "v" + strings.TrimPrefix(v, "v"), Server: p.Pulumi.Server})
	}
	return out, nil
}

func (h *host) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	deps, err := plugins(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: deps}, nil
}

func (h *host) GetRequiredPlugins(_ context.Context, req *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	deps, err := plugins(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	out := make([]*pulumirpc.PluginDependency, 0, len(deps))
	for _, d := range deps {
		out = append(out, &pulumirpc.PluginDependency{Name: d.Name, Kind: d.Kind, Version: d.Version, Server: d.Server})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: out}, nil
}

func (h *host) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	deps, err := plugins(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	out := make([]*pulumirpc.DependencyInfo, 0, len(deps))
	for _, d := range deps {
		out = append(out, &pulumirpc.DependencyInfo{Name: "@pulumi/" + d.Name, Version: strings.TrimPrefix(d.Version, "v")})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: out}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, err
	}
	v, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(v))}, nil
}

// runArgs is the command line of @pulumi/pulumi/cmd/run for one RunRequest (the flags it documents).
func runArgs(req *pulumirpc.RunRequest, runner, engine string) []string {
	args := []string{runner}
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", engine)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", req.GetInfo().GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", req.GetInfo().GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.GetArgs()...)
}

// runEnv is the configuration as the runner reads it: PULUMI_CONFIG with `<namespace>:config:<name>` keys (the form
// every @pulumi/pulumi release understands) and PULUMI_CONFIG_SECRET_KEYS.
func runEnv(req *pulumirpc.RunRequest) ([]string, error) {
	cfg := map[string]string{}
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, err
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cj, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	sj, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+string(cj), "PULUMI_CONFIG_SECRET_KEYS="+string(sj))
	opts := req.GetInfo().GetOptions().AsMap()
	if ts, ok := opts["typescript"].(bool); !ok || ts {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if p, ok := opts["tsconfig"].(string); ok && p != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+p)
	}
	return env, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the $PATH: " + err.Error()}, nil
	}
	nm, err := nodeModules(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runner := filepath.Join(nm, "@pulumi", "pulumi", "cmd", "run")
	if _, err := os.Stat(filepath.Join(runner, "index.js")); err != nil {
		return &pulumirpc.RunResponse{Error: "the program's node_modules has no @pulumi/pulumi/cmd/run: " + err.Error()}, nil
	}
	env, err := runEnv(req)
	if err != nil {
		return &pulumirpc.RunResponse{Error: "configuration: " + err.Error()}, nil
	}
	cmd := exec.CommandContext(ctx, node, runArgs(req, runner, h.engineAddress)...)
	cmd.Dir = req.GetInfo().GetProgramDirectory()
	cmd.Env = env
	// The engine shows the program's output; the runner reports errors through the engine and its exit code.
	cmd.Stdout = struct{ *os.File }{os.Stdout}
	cmd.Stderr = struct{ *os.File }{os.Stderr}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == exitAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: "could not run node: " + err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}
