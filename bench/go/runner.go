// Benchmark runner: golang.org/x/net/bpf's VM over every frame of a pcap held in memory.
// usage: go-runner FILE.pcap PROGRAM... (each PROGRAM in tcpdump -ddd form, commas for newlines);
// then one request per stdin line, the index of a program, each answered with
// "count<TAB>ns/packet" for one timed pass (bench/filters.ts interleaves the runners). Time is the
// process's CPU time (getrusage), so time spent descheduled on a shared machine is not counted.
package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/net/bpf"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var frames [][]byte
	for o := 24; o+16 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[o+8:]))
		frames = append(frames, data[o+16:o+16+n])
		o += 16 + n
	}
	var vms []*bpf.VM
	for _, text := range os.Args[2:] {
		f := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
		cnt, _ := strconv.Atoi(f[0])
		raw := make([]bpf.RawInstruction, cnt)
		for i := 0; i < cnt; i++ {
			v := make([]uint64, 4)
			for j := range v {
				v[j], _ = strconv.ParseUint(f[1+4*i+j], 10, 32)
			}
			raw[i] = bpf.RawInstruction{Op: uint16(v[0]), Jt: uint8(v[1]), Jf: uint8(v[2]), K: uint32(v[3])}
		}
		insns, ok := bpf.Disassemble(raw)
		if !ok {
			fmt.Fprintln(os.Stderr, "disassemble failed")
		}
		vm, err := bpf.NewVM(insns)
		if err != nil {
			panic(err)
		}
		vms = append(vms, vm)
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		e, err := strconv.Atoi(strings.TrimSpace(in.Text()))
		if err != nil || e < 0 || e >= len(vms) {
			fmt.Fprintln(os.Stderr, "bad request:", in.Text())
			os.Exit(1)
		}
		vm := vms[e]
		t0 := cpuNs()
		count := 0
		for _, fr := range frames {
			if n, _ := vm.Run(fr); n != 0 {
				count++
			}
		}
		ns := float64(cpuNs()-t0) / float64(len(frames))
		fmt.Printf("%d\t%.2f\n", count, ns)
	}
}

// cpuNs is the user and system CPU time of the process so far, in nanoseconds.
func cpuNs() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
