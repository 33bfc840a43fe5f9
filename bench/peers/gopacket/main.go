// gopacket side of `npm run bench -- sflow`: decodes the same sFlow datagrams as labtel with Debian's
// golang-github-google-gopacket-dev, built offline:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o OUT ./bench/peers/gopacket
//
// Usage: gopacket-sflow-bench PAYLOADS SECONDS MODE
//
// PAYLOADS holds the UDP payloads back to back, each preceded by its length as a big-endian uint32.
// Each datagram goes through layers.SFlowDatagram.DecodeFromBytes (the DecodingLayer API), which itself
// decodes every raw packet header with gopacket.NewPacket(header, LayerTypeEthernet, gopacket.Default); the
// loop then reads each header's network and transport flows (addresses, ports), as labtel's side reads its
// 5-tuple. MODE "decode" stops there; MODE "decode+nocopy" also decodes each raw header a second time with
// gopacket.NewPacket(..., LayerTypeEthernet, gopacket.NoCopy), as a caller that wants its own packet would.
//
// Runs one warm-up pass, then loops over the datagrams for SECONDS of wall time, and prints one JSON object:
// datagrams and samples decoded, the process's CPU time (user + system, all threads: the GC's too), and
// the heap bytes allocated per datagram (runtime.MemStats.TotalAlloc).
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

type result struct {
	Mode                     string  `json:"mode"`
	Datagrams                int     `json:"datagrams"`
	Samples                  int     `json:"samples"`
	RawHeaders               int     `json:"rawHeaders"`
	CPUSeconds               float64 `json:"cpuSeconds"`
	WallSeconds              float64 `json:"wallSeconds"`
	HeapBytesPerDatagram     float64 `json:"heapBytesPerDatagram"`
	Checksum                 int     `json:"checksum"`
	GoVersion                string  `json:"goVersion"`
	GoMaxProcs               int     `json:"gomaxprocs"`
	DecodeErrorsInWarmupPass int     `json:"decodeErrorsInWarmupPass"`
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func split(data []byte) [][]byte {
	var out [][]byte
	for p := 0; p+4 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		out = append(out, data[p+4:p+4+n])
		p += 4 + n
	}
	return out
}

// touch reads what labtel's side reads from a decoded header: the innermost addresses, ports and protocol.
func touch(p gopacket.Packet) int {
	s := 0
	if nl := p.NetworkLayer(); nl != nil {
		f := nl.NetworkFlow()
		s += len(f.Src().Raw()) + len(f.Dst().Raw())
	}
	if tl := p.TransportLayer(); tl != nil {
		f := tl.TransportFlow()
		s += len(f.Src().Raw()) + len(f.Dst().Raw())
	}
	return s
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	seconds, _ := strconv.ParseFloat(os.Args[2], 64)
	mode := os.Args[3]
	nocopy := mode == "decode+nocopy"
	datagrams := split(data)
	errors := 0
	samples := 0
	headers := 0

	pass := func() int {
		sum := 0
		for _, b := range datagrams {
			// A fresh datagram each time, as gopacket's own decodeSFlow does: DecodeFromBytes appends samples
			// to the ones already there.
			dg := layers.SFlowDatagram{}
			if err := dg.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
				errors++
				continue
			}
			sum += len(dg.FlowSamples) + len(dg.CounterSamples)
			for i := range dg.FlowSamples {
				for _, r := range dg.FlowSamples[i].Records {
					if raw, ok := r.(layers.SFlowRawPacketFlowRecord); ok {
						headers++
						sum += touch(raw.Header)
						if nocopy {
							sum += touch(gopacket.NewPacket(raw.Header.Data(), layers.LayerTypeEthernet, gopacket.NoCopy))
						}
					}
				}
			}
		}
		return sum
	}

	// Warm-up pass: also counts samples and raw headers per pass.
	checksum := pass()
	warmErrors := errors
	for _, b := range datagrams {
		dg := layers.SFlowDatagram{}
		if dg.DecodeFromBytes(b, gopacket.NilDecodeFeedback) == nil {
			samples += len(dg.FlowSamples) + len(dg.CounterSamples)
		}
	}
	headers = 0
	pass()
	headersPerPass := headers

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := cpuSeconds()
	start := time.Now()
	passes := 0
	for time.Since(start).Seconds() < seconds {
		checksum += pass()
		passes++
	}
	wall := time.Since(start).Seconds()
	cpu := cpuSeconds() - cpu0
	runtime.ReadMemStats(&after)
	n := passes * len(datagrams)
	out, _ := json.Marshal(result{
		Mode:                     mode,
		Datagrams:                n,
		Samples:                  passes * samples,
		RawHeaders:               passes * headersPerPass,
		CPUSeconds:               cpu,
		WallSeconds:              wall,
		HeapBytesPerDatagram:     float64(after.TotalAlloc-before.TotalAlloc) / float64(n),
		Checksum:                 checksum,
		GoVersion:                runtime.Version(),
		GoMaxProcs:               runtime.GOMAXPROCS(0),
		DecodeErrorsInWarmupPass: warmErrors,
	})
	fmt.Println(string(out))
}
