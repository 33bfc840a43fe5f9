package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/osrg/gobgp/pkg/packet/bgp"
)

// decoded is one UPDATE as gobgp reads it, in the shape labtel's interop test builds from its own
// decoder: the two are compared line by line.
type decoded struct {
	Withdrawn   []string  `json:"withdrawn"`
	NLRI        []string  `json:"nlri"`
	Origin      *uint8    `json:"origin"`
	AsPath      []segment `json:"asPath"`
	NextHop     *string   `json:"nextHop"`
	Med         *uint32   `json:"med"`
	LocalPref   *uint32   `json:"localPref"`
	Atomic      bool      `json:"atomicAggregate"`
	Aggregator  *string   `json:"aggregator"`
	Communities []uint32  `json:"communities"`
	Large       []string  `json:"largeCommunities"`
	MpReach     *mpReach  `json:"mpReach"`
	MpUnreach   []string  `json:"mpUnreach"`
}

type segment struct {
	Type uint8    `json:"type"`
	ASNs []uint32 `json:"asns"`
}

type mpReach struct {
	NextHops []string `json:"nextHops"`
	NLRI     []string `json:"nlri"`
}

func prefixes[T fmt.Stringer](ps []T) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// dumpAll prints one JSON line per message of the corpus.
func dumpAll(msgs [][]byte) {
	enc := json.NewEncoder(os.Stdout)
	for i, b := range msgs {
		m, err := bgp.ParseBGPMessage(b)
		if err != nil {
			fmt.Fprintf(os.Stderr, "message %d: %v\n", i, err)
			os.Exit(1)
		}
		u := m.Body.(*bgp.BGPUpdate)
		d := decoded{Withdrawn: prefixes(u.WithdrawnRoutes), NLRI: prefixes(u.NLRI)}
		for _, a := range u.PathAttributes {
			switch a := a.(type) {
			case *bgp.PathAttributeOrigin:
				v := a.Value
				d.Origin = &v
			case *bgp.PathAttributeAsPath:
				d.AsPath = []segment{}
				for _, s := range a.Value {
					d.AsPath = append(d.AsPath, segment{Type: s.GetType(), ASNs: s.GetAS()})
				}
			case *bgp.PathAttributeNextHop:
				v := a.Value.String()
				d.NextHop = &v
			case *bgp.PathAttributeMultiExitDisc:
				v := a.Value
				d.Med = &v
			case *bgp.PathAttributeLocalPref:
				v := a.Value
				d.LocalPref = &v
			case *bgp.PathAttributeAtomicAggregate:
				d.Atomic = true
			case *bgp.PathAttributeAggregator:
				v := fmt.Sprintf("%d/%s", a.Value.AS, a.Value.Address.String())
				d.Aggregator = &v
			case *bgp.PathAttributeCommunities:
				d.Communities = a.Value
			case *bgp.PathAttributeLargeCommunities:
				for _, c := range a.Values {
					d.Large = append(d.Large, fmt.Sprintf("%d:%d:%d", c.ASN, c.LocalData1, c.LocalData2))
				}
			case *bgp.PathAttributeMpReachNLRI:
				hops := []string{a.Nexthop.String()}
				if a.LinkLocalNexthop != nil && !a.LinkLocalNexthop.IsUnspecified() {
					hops = append(hops, a.LinkLocalNexthop.String())
				}
				d.MpReach = &mpReach{NextHops: hops, NLRI: prefixes(a.Value)}
			case *bgp.PathAttributeMpUnreachNLRI:
				d.MpUnreach = prefixes(a.Value)
			default:
				fmt.Fprintf(os.Stderr, "message %d: attribute %s not compared\n", i, strings.TrimPrefix(fmt.Sprintf("%T", a), "*bgp."))
				os.Exit(1)
			}
		}
		if err := enc.Encode(d); err != nil {
			panic(err)
		}
	}
}
