// The Kubernetes provider plugin, built from its Go module: upstream's main (provider/cmd/pulumi-resource-kubernetes)
// embeds schema-embed.json and terraform-mapping-embed.json, which its build generates from the module's committed
// schema.json and terraform-mapping.json (`go generate`). tools/build.ts generates the same two files from the
// module's copies next to this file in a temporary build directory; this main serves them exactly as upstream's does.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
