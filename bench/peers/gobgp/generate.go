package main

import (
	"fmt"
	"math/rand"
	"net"
	"os"

	"github.com/osrg/gobgp/pkg/packet/bgp"
)

// generate writes n UPDATEs built with gobgp's own constructors to path (deterministic for a seed),
// so labtel's decoder can be checked on bytes another implementation laid out.
func generate(path string, n int, seed int64) {
	r := rand.New(rand.NewSource(seed))
	v4 := func() *bgp.IPAddrPrefix {
		l := uint8(8 + r.Intn(25))
		ip := net.IPv4(byte(1+r.Intn(223)), byte(r.Intn(256)), byte(r.Intn(256)), byte(r.Intn(256))).Mask(net.CIDRMask(int(l), 32))
		return bgp.NewIPAddrPrefix(l, ip.String())
	}
	v6 := func() bgp.AddrPrefixInterface {
		return bgp.NewIPv6AddrPrefix(64, fmt.Sprintf("2001:db8:%x:%x::", r.Intn(0x10000), 1+r.Intn(0xffff)))
	}
	var out []byte
	for i := 0; i < n; i++ {
		asns := make([]uint32, 1+r.Intn(15))
		for k := range asns {
			asns[k] = 1 + uint32(r.Int63n(0xfffffffe))
		}
		attrs := []bgp.PathAttributeInterface{
			bgp.NewPathAttributeOrigin(uint8(r.Intn(3))),
			bgp.NewPathAttributeAsPath([]bgp.AsPathParamInterface{bgp.NewAs4PathParam(bgp.BGP_ASPATH_ATTR_TYPE_SEQ, asns)}),
		}
		if r.Intn(2) == 0 {
			attrs = append(attrs, bgp.NewPathAttributeMultiExitDisc(r.Uint32()))
		}
		if r.Intn(2) == 0 {
			attrs = append(attrs, bgp.NewPathAttributeLocalPref(r.Uint32()))
		}
		if r.Intn(5) == 0 {
			attrs = append(attrs, bgp.NewPathAttributeAtomicAggregate(), bgp.NewPathAttributeAggregator(r.Uint32(), "198.51.100.7"))
		}
		if r.Intn(2) == 0 {
			c := make([]uint32, 1+r.Intn(70)) // enough, sometimes, for an extended-length attribute
			for k := range c {
				c[k] = r.Uint32()
			}
			attrs = append(attrs, bgp.NewPathAttributeCommunities(c))
		}
		if r.Intn(3) == 0 {
			attrs = append(attrs, bgp.NewPathAttributeLargeCommunities([]*bgp.LargeCommunity{bgp.NewLargeCommunity(r.Uint32(), r.Uint32(), r.Uint32())}))
		}
		var withdrawn, nlri []*bgp.IPAddrPrefix
		switch r.Intn(4) {
		case 0, 1:
			attrs = append(attrs, bgp.NewPathAttributeNextHop("203.0.113.9"))
			for k := 1 + r.Intn(40); k > 0; k-- {
				nlri = append(nlri, v4())
			}
		case 2:
			var p []bgp.AddrPrefixInterface
			for k := 1 + r.Intn(20); k > 0; k-- {
				p = append(p, v6())
			}
			attrs = append(attrs, bgp.NewPathAttributeMpReachNLRI("2001:db8::9", p))
		default:
			for k := 1 + r.Intn(30); k > 0; k-- {
				withdrawn = append(withdrawn, v4())
			}
			var p []bgp.AddrPrefixInterface
			for k := 1 + r.Intn(10); k > 0; k-- {
				p = append(p, v6())
			}
			attrs = []bgp.PathAttributeInterface{bgp.NewPathAttributeMpUnreachNLRI(p)}
		}
		b, err := bgp.NewBGPUpdateMessage(withdrawn, attrs, nlri).Serialize()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		out = append(out, b...)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
