package main

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/osrg/gobgp/pkg/packet/bgp"
)

// An UPDATE as an application holds it before it encodes, the same form labtel's "encode from text" row
// starts from: prefixes and addresses as text, everything else as plain values, attributes in wire order.
type appUpdate struct {
	withdrawn []string
	nlri      []string
	attrs     []appAttr
}

type appAttr struct {
	flags     bgp.BGPAttrFlag
	kind      bgp.BGPAttrType
	number    uint32 // ORIGIN, MED, LOCAL_PREF, the AGGREGATOR's AS
	text      string // NEXT_HOP, the AGGREGATOR's address, MP_REACH's next hop
	linkLocal string // MP_REACH's link-local next hop, or ""
	segments  []appSegment
	numbers   []uint32    // COMMUNITIES
	large     [][3]uint32 // LARGE_COMMUNITY
	prefixes  []string    // MP_REACH / MP_UNREACH NLRI
}

type appSegment struct {
	kind uint8
	asns []uint32
}

// toApp takes a parsed UPDATE apart into the application's form (not timed).
func toApp(m *bgp.BGPMessage) appUpdate {
	u := m.Body.(*bgp.BGPUpdate)
	var a appUpdate
	for _, p := range u.WithdrawnRoutes {
		a.withdrawn = append(a.withdrawn, p.String())
	}
	for _, p := range u.NLRI {
		a.nlri = append(a.nlri, p.String())
	}
	for _, pa := range u.PathAttributes {
		x := appAttr{flags: pa.GetFlags(), kind: pa.GetType()}
		switch v := pa.(type) {
		case *bgp.PathAttributeOrigin:
			x.number = uint32(v.Value)
		case *bgp.PathAttributeAsPath:
			for _, s := range v.Value {
				x.segments = append(x.segments, appSegment{kind: s.GetType(), asns: append([]uint32(nil), s.GetAS()...)})
			}
		case *bgp.PathAttributeNextHop:
			x.text = v.Value.String()
		case *bgp.PathAttributeMultiExitDisc:
			x.number = v.Value
		case *bgp.PathAttributeLocalPref:
			x.number = v.Value
		case *bgp.PathAttributeAtomicAggregate:
		case *bgp.PathAttributeAggregator:
			x.number = v.Value.AS
			x.text = v.Value.Address.String()
		case *bgp.PathAttributeCommunities:
			x.numbers = append([]uint32(nil), v.Value...)
		case *bgp.PathAttributeLargeCommunities:
			for _, c := range v.Values {
				x.large = append(x.large, [3]uint32{c.ASN, c.LocalData1, c.LocalData2})
			}
		case *bgp.PathAttributeMpReachNLRI:
			x.text = v.Nexthop.String()
			if v.LinkLocalNexthop != nil {
				x.linkLocal = v.LinkLocalNexthop.String()
			}
			for _, p := range v.Value {
				x.prefixes = append(x.prefixes, p.String())
			}
		case *bgp.PathAttributeMpUnreachNLRI:
			for _, p := range v.Value {
				x.prefixes = append(x.prefixes, p.String())
			}
		default:
			panic(fmt.Sprintf("the corpus holds an attribute this peer does not rebuild: %T", pa))
		}
		a.attrs = append(a.attrs, x)
	}
	return a
}

// splitPrefix reads "address/len".
func splitPrefix(text string) (string, uint8) {
	i := strings.LastIndexByte(text, '/')
	n, err := strconv.Atoi(text[i+1:])
	if i < 0 || err != nil {
		panic("not a prefix: " + text)
	}
	return text[:i], uint8(n)
}

func v4Prefixes(texts []string) []*bgp.IPAddrPrefix {
	out := make([]*bgp.IPAddrPrefix, len(texts))
	for i, t := range texts {
		addr, n := splitPrefix(t)
		out[i] = bgp.NewIPAddrPrefix(n, addr)
	}
	return out
}

func v6Prefixes(texts []string) []bgp.AddrPrefixInterface {
	out := make([]bgp.AddrPrefixInterface, len(texts))
	for i, t := range texts {
		addr, n := splitPrefix(t)
		out[i] = bgp.NewIPv6AddrPrefix(n, addr)
	}
	return out
}

// fromApp builds the UPDATE with gobgp's constructors, text parsed on the way, and serialises it: what
// gobgp does to send what an application holds (the timed part).
func fromApp(a *appUpdate) ([]byte, error) {
	attrs := make([]bgp.PathAttributeInterface, 0, len(a.attrs))
	for i := range a.attrs {
		x := &a.attrs[i]
		var pa bgp.PathAttributeInterface
		switch x.kind {
		case bgp.BGP_ATTR_TYPE_ORIGIN:
			pa = bgp.NewPathAttributeOrigin(uint8(x.number))
		case bgp.BGP_ATTR_TYPE_AS_PATH:
			params := make([]bgp.AsPathParamInterface, len(x.segments))
			for k, s := range x.segments {
				params[k] = bgp.NewAs4PathParam(s.kind, s.asns)
			}
			pa = bgp.NewPathAttributeAsPath(params)
		case bgp.BGP_ATTR_TYPE_NEXT_HOP:
			pa = bgp.NewPathAttributeNextHop(x.text)
		case bgp.BGP_ATTR_TYPE_MULTI_EXIT_DISC:
			pa = bgp.NewPathAttributeMultiExitDisc(x.number)
		case bgp.BGP_ATTR_TYPE_LOCAL_PREF:
			pa = bgp.NewPathAttributeLocalPref(x.number)
		case bgp.BGP_ATTR_TYPE_ATOMIC_AGGREGATE:
			pa = bgp.NewPathAttributeAtomicAggregate()
		case bgp.BGP_ATTR_TYPE_AGGREGATOR:
			pa = bgp.NewPathAttributeAggregator(x.number, x.text)
		case bgp.BGP_ATTR_TYPE_COMMUNITIES:
			pa = bgp.NewPathAttributeCommunities(x.numbers)
		case bgp.BGP_ATTR_TYPE_LARGE_COMMUNITY:
			cs := make([]*bgp.LargeCommunity, len(x.large))
			for k, c := range x.large {
				cs[k] = bgp.NewLargeCommunity(c[0], c[1], c[2])
			}
			pa = bgp.NewPathAttributeLargeCommunities(cs)
		case bgp.BGP_ATTR_TYPE_MP_REACH_NLRI:
			r := bgp.NewPathAttributeMpReachNLRI(x.text, v6Prefixes(x.prefixes))
			if x.linkLocal != "" {
				r.LinkLocalNexthop = net.ParseIP(x.linkLocal)
			}
			pa = r
		case bgp.BGP_ATTR_TYPE_MP_UNREACH_NLRI:
			pa = bgp.NewPathAttributeMpUnreachNLRI(v6Prefixes(x.prefixes))
		}
		setFlags(pa, x.flags)
		attrs = append(attrs, pa)
	}
	return bgp.NewBGPUpdateMessage(v4Prefixes(a.withdrawn), attrs, v4Prefixes(a.nlri)).Serialize()
}

// setFlags keeps the flags the application had (the extended-length bit as the corpus has it): the
// constructors' defaults may differ, and then the bytes would.
func setFlags(pa bgp.PathAttributeInterface, flags bgp.BGPAttrFlag) {
	switch v := pa.(type) {
	case *bgp.PathAttributeOrigin:
		v.Flags = flags
	case *bgp.PathAttributeAsPath:
		v.Flags = flags
	case *bgp.PathAttributeNextHop:
		v.Flags = flags
	case *bgp.PathAttributeMultiExitDisc:
		v.Flags = flags
	case *bgp.PathAttributeLocalPref:
		v.Flags = flags
	case *bgp.PathAttributeAtomicAggregate:
		v.Flags = flags
	case *bgp.PathAttributeAggregator:
		v.Flags = flags
	case *bgp.PathAttributeCommunities:
		v.Flags = flags
	case *bgp.PathAttributeLargeCommunities:
		v.Flags = flags
	case *bgp.PathAttributeMpReachNLRI:
		v.Flags = flags
	case *bgp.PathAttributeMpUnreachNLRI:
		v.Flags = flags
	}
}
