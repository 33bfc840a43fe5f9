// golang.org/x/net/bpf side of `npm run bench -- bpf`: runs labtel's compiled programs in x/net/bpf's VM over
// the same packets as labtel's interpreter, with Debian's golang-golang-x-net-dev, built offline:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o OUT ./bench/peers/xnetbpf
//
// Usage: xnetbpf-bench PROGRAMS PACKETS SECONDS
//
// PROGRAMS holds one program per line as `tcpdump -ddd` prints it, joined on one line by commas
// ("N,c jt jf k,c jt jf k,..."). PACKETS holds the frames back to back, each preceded by its length as a
// big-endian uint32. For each program: the raw instructions are disassembled into bpf.Instructions and loaded
// with bpf.NewVM; one warm-up pass counts the accepted packets (the verdicts labtel's side must match); then
// the VM runs over the packets for SECONDS of wall time. Prints one JSON array: per program, packets run,
// accepted per pass and the process's CPU time (user + system).
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/bpf"
)

type result struct {
	Program          int     `json:"program"`
	Packets          int     `json:"packets"`
	AcceptedPerPass  int     `json:"acceptedPerPass"`
	CPUSeconds       float64 `json:"cpuSeconds"`
	WallSeconds      float64 `json:"wallSeconds"`
	GoVersion        string  `json:"goVersion"`
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func parseProgram(line string) []bpf.Instruction {
	fields := strings.Split(line, ",")
	var out []bpf.Instruction
	for _, f := range fields[1:] {
		var n [4]uint64
		parts := strings.Fields(f)
		for i := range n {
			v, err := strconv.ParseUint(parts[i], 10, 32)
			if err != nil {
				fail(err)
			}
			n[i] = v
		}
		raw := bpf.RawInstruction{Op: uint16(n[0]), Jt: uint8(n[1]), Jf: uint8(n[2]), K: uint32(n[3])}
		out = append(out, raw.Disassemble())
	}
	return out
}

func main() {
	programs, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	data, err := os.ReadFile(os.Args[2])
	if err != nil {
		fail(err)
	}
	seconds, _ := strconv.ParseFloat(os.Args[3], 64)
	var packets [][]byte
	for p := 0; p+4 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		packets = append(packets, data[p+4:p+4+n])
		p += 4 + n
	}
	var results []result
	for i, line := range strings.Split(strings.TrimSpace(string(programs)), "\n") {
		vm, err := bpf.NewVM(parseProgram(line))
		if err != nil {
			fail(fmt.Errorf("program %d: %v", i, err))
		}
		accepted := 0
		for _, pkt := range packets {
			if n, _ := vm.Run(pkt); n > 0 {
				accepted++
			}
		}
		runs := 0
		cpu0 := cpuSeconds()
		start := time.Now()
		for time.Since(start).Seconds() < seconds {
			for _, pkt := range packets {
				vm.Run(pkt)
			}
			runs += len(packets)
		}
		results = append(results, result{Program: i, Packets: runs, AcceptedPerPass: accepted, CPUSeconds: cpuSeconds() - cpu0, WallSeconds: time.Since(start).Seconds(), GoVersion: runtime.Version()})
	}
	out, _ := json.Marshal(results)
	fmt.Println(string(out))
}
