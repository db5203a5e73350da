// Benchmark runner: golang.org/x/net/bpf's VM over every frame of a pcap held in memory.
// usage: go-runner FILE.pcap REPS PROGRAM... (each PROGRAM in tcpdump -ddd form, commas for newlines);
// prints "count<TAB>median ns/packet" per program.
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/bpf"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	reps, _ := strconv.Atoi(os.Args[2])
	var frames [][]byte
	for o := 24; o+16 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[o+8:]))
		frames = append(frames, data[o+16:o+16+n])
		o += 16 + n
	}
	for _, text := range os.Args[3:] {
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
		ts := make([]float64, reps)
		count := 0
		for r := 0; r < reps; r++ {
			t0 := time.Now()
			count = 0
			for _, fr := range frames {
				if n, _ := vm.Run(fr); n != 0 {
					count++
				}
			}
			ts[r] = float64(time.Since(t0).Nanoseconds()) / float64(len(frames))
		}
		sort.Float64s(ts)
		fmt.Printf("%d\t%.2f\n", count, ts[reps/2])
	}
}
