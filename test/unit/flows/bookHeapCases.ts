// The table of the book's heap test (PacktPublishing/Network-Automation-with-Go, ch10/top-talkers
// heap_test.go): each flow starts at a count, is seen `timesSeen` more times, and must end at a
// rank position with a count. The book iterated a Go map, so its tie case depended on map order;
// here flows are pushed in table order and a tie goes to the flow pushed first.
export interface BookFlow {
  key: string;
  startCount: number;
  timesSeen: number;
  wantPosition: number;
  wantCount: number;
}

export const bookHeapCases: { name: string; flows: BookFlow[] }[] = [
  { name: 'single packet', flows: [{ key: '1-1', startCount: 1, timesSeen: 0, wantPosition: 0, wantCount: 1 }] },
  {
    name: 'last packet wins',
    flows: [
      { key: '2-1', startCount: 1, timesSeen: 1, wantPosition: 1, wantCount: 2 },
      { key: '2-2', startCount: 2, timesSeen: 1, wantPosition: 0, wantCount: 3 },
    ],
  },
  {
    name: 'first packet wins',
    flows: [
      { key: '3-1', startCount: 5, timesSeen: 0, wantPosition: 0, wantCount: 5 },
      { key: '3-2', startCount: 2, timesSeen: 0, wantPosition: 1, wantCount: 2 },
    ],
  },
  {
    name: 'last packet wins after update',
    flows: [
      { key: '4-1', startCount: 3, timesSeen: 0, wantPosition: 1, wantCount: 3 },
      { key: '4-2', startCount: 2, timesSeen: 2, wantPosition: 0, wantCount: 4 },
    ],
  },
  {
    name: 'first packet wins after update',
    flows: [
      { key: '5-1', startCount: 1, timesSeen: 3, wantPosition: 0, wantCount: 4 },
      { key: '5-2', startCount: 2, timesSeen: 0, wantPosition: 1, wantCount: 2 },
    ],
  },
  {
    name: 'tie use case/first packet wins',
    flows: [
      { key: '6-1', startCount: 2, timesSeen: 2, wantPosition: 0, wantCount: 4 },
      { key: '6-2', startCount: 3, timesSeen: 1, wantPosition: 1, wantCount: 4 },
    ],
  },
  {
    name: 'odd number of packets',
    flows: [
      { key: '7-1', startCount: 1, timesSeen: 1, wantPosition: 2, wantCount: 2 },
      { key: '7-2', startCount: 2, timesSeen: 2, wantPosition: 0, wantCount: 4 },
      { key: '7-3', startCount: 3, timesSeen: 0, wantPosition: 1, wantCount: 3 },
    ],
  },
];
