// gobgp side of `npm run bench -- bgp`: decodes and encodes the same UPDATE corpus as labtel, with
// osrg/gobgp's packet/bgp package from Debian (golang-github-osrg-gobgp-dev), built offline:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o OUT bench/peers/gobgp/main.go
//
// Usage: gobgp-bench CORPUS SECONDS WHAT — CORPUS is BGP messages back to back; WHAT is decode,
// decode-validate, encode (Serialize of parsed messages), encode-text (built from prefixes and addresses
// as text with gobgp's constructors, then serialised), or dump (each UPDATE as gobgp reads it, one JSON line each, for labtel's
// interop test); measures it for SECONDS (after a warm-up pass) and prints one JSON object.
//
//	gobgp-bench generate FILE N SEED — writes N UPDATEs built with gobgp's constructors.
//
// The caller runs it once per round, interleaved with labtel's rounds, so both meet the same machine.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/osrg/gobgp/pkg/packet/bgp"
)

type result struct {
	Messages  int     `json:"messages"`
	Bytes     int     `json:"bytes"`
	PerSec    float64 `json:"perSec"`
	Checksum  int     `json:"checksum"`
	GoVersion string  `json:"goVersion"`
}

func split(data []byte) [][]byte {
	var out [][]byte
	for p := 0; p+19 <= len(data); {
		n := int(data[p+16])<<8 | int(data[p+17])
		out = append(out, data[p:p+n])
		p += n
	}
	return out
}

// round runs f over the corpus until `seconds` have passed (after one warm-up pass) and returns messages/s.
func round(n int, seconds float64, f func() int) (float64, int) {
	sum := f()
	start := time.Now()
	count := 0
	for time.Since(start).Seconds() < seconds {
		sum += f()
		count += n
	}
	return float64(count) / time.Since(start).Seconds(), sum
}

func main() {
	if len(os.Args) == 5 && os.Args[1] == "generate" {
		n, _ := strconv.Atoi(os.Args[3])
		seed, _ := strconv.ParseInt(os.Args[4], 10, 64)
		generate(os.Args[2], n, seed)
		return
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	seconds, _ := strconv.ParseFloat(os.Args[2], 64)
	what := os.Args[3]
	msgs := split(data)
	rfs := map[bgp.RouteFamily]bgp.BGPAddPathMode{bgp.RF_IPv4_UC: bgp.BGP_ADD_PATH_NONE, bgp.RF_IPv6_UC: bgp.BGP_ADD_PATH_NONE}

	decode := func() int {
		s := 0
		for _, b := range msgs {
			m, err := bgp.ParseBGPMessage(b)
			if err != nil {
				panic(err)
			}
			s += len(m.Body.(*bgp.BGPUpdate).NLRI)
		}
		return s
	}
	decodeValidate := func() int {
		s := 0
		for _, b := range msgs {
			m, err := bgp.ParseBGPMessage(b)
			if err != nil {
				panic(err)
			}
			u := m.Body.(*bgp.BGPUpdate)
			if ok, err := bgp.ValidateUpdateMsg(u, rfs, true, false); !ok {
				panic(err)
			}
			s += len(u.NLRI)
		}
		return s
	}
	parsed := make([]*bgp.BGPMessage, len(msgs))
	for i, b := range msgs {
		parsed[i], _ = bgp.ParseBGPMessage(b)
	}
	encode := func() int {
		s := 0
		for _, m := range parsed {
			b, err := m.Serialize()
			if err != nil {
				panic(err)
			}
			s += len(b)
		}
		return s
	}
	// The encoder must give back the corpus byte for byte, or the comparison means nothing.
	for i, m := range parsed {
		b, _ := m.Serialize()
		if string(b) != string(msgs[i]) {
			fmt.Fprintf(os.Stderr, "gobgp re-encodes message %d differently\n", i)
			os.Exit(1)
		}
	}
	// The application form only encode-text needs: the other modes do not pay for making it.
	var apps []appUpdate
	encodeText := func() int {
		s := 0
		for i := range apps {
			b, err := fromApp(&apps[i])
			if err != nil {
				panic(err)
			}
			s += len(b)
		}
		return s
	}
	if what == "encode-text" {
		apps = make([]appUpdate, len(parsed))
		for i, m := range parsed {
			apps[i] = toApp(m)
		}
		for i := range apps {
			b, err := fromApp(&apps[i])
			if err != nil || string(b) != string(msgs[i]) {
				fmt.Fprintf(os.Stderr, "gobgp builds message %d from text differently (%v)\n", i, err)
				os.Exit(1)
			}
		}
	}
	var r result
	r.Messages = len(msgs)
	r.Bytes = len(data)
	r.GoVersion = goVersion()
	switch what {
	case "decode":
		r.PerSec, r.Checksum = round(len(msgs), seconds, decode)
	case "decode-validate":
		r.PerSec, r.Checksum = round(len(msgs), seconds, decodeValidate)
	case "encode":
		r.PerSec, r.Checksum = round(len(msgs), seconds, encode)
	case "encode-text":
		r.PerSec, r.Checksum = round(len(msgs), seconds, encodeText)
	case "dump":
		dumpAll(msgs)
		return
	default:
		fmt.Fprintln(os.Stderr, "WHAT is decode, decode-validate, encode or encode-text")
		os.Exit(2)
	}
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
}
