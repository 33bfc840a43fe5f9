// replay: the benchmark's sender. Sends sFlow datagrams (a file of UDP payloads, each preceded by its
// length as a big-endian uint32) to 127.0.0.1:PORT at a paced rate, looping over the file, and prints
// what it achieved as JSON. Pacing: every tick (the scheduler wakes it about every 100 µs - 1 ms) it
// sends the datagrams due by then (rate × elapsed), so it sends in small batches and never runs ahead;
// the rate reported is sent / (time of the last send - time of the first), not the target.
//
//	replay PAYLOADS PORT RATE COUNT START
//	  RATE datagrams per second (0: as fast as it can), COUNT datagrams to send, START index of the first.
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: replay PAYLOADS PORT RATE COUNT START")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	port, _ := strconv.Atoi(os.Args[2])
	rate, _ := strconv.ParseFloat(os.Args[3], 64)
	count, _ := strconv.Atoi(os.Args[4])
	start, _ := strconv.Atoi(os.Args[5])
	var dgs [][]byte
	for p := 0; p+4 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		dgs = append(dgs, data[p+4:p+4+n])
		p += 4 + n
	}
	if len(dgs) == 0 {
		fmt.Fprintln(os.Stderr, "no datagrams")
		os.Exit(1)
	}
	// Loopback only: the benchmark never sends anywhere else.
	conn, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer conn.Close()
	_ = conn.SetWriteBuffer(4 << 20)
	sent, errors := 0, 0
	t0 := time.Now()
	var last time.Time
	for sent < count {
		due := count
		if rate > 0 {
			due = int(rate * time.Since(t0).Seconds())
			if due > count {
				due = count
			}
		}
		for sent < due {
			// A refused or full socket is the receiver's loss: counted as sent, reported apart.
			if _, err := conn.Write(dgs[(start+sent)%len(dgs)]); err != nil {
				errors++
			}
			sent++
		}
		last = time.Now()
		if sent < count && rate > 0 {
			time.Sleep(100 * time.Microsecond)
		}
	}
	seconds := last.Sub(t0).Seconds()
	out, _ := json.Marshal(map[string]interface{}{
		"sent": sent, "writeErrors": errors, "seconds": seconds, "rate": float64(sent) / seconds, "goVersion": runtime.Version(),
	})
	fmt.Println(string(out))
}
