// Each test class has its own database (a copy of the seeded template, TestPostgres) and its own app, so classes run
// in parallel, as many at a time as the machine has cores. Until 2026-12-07 every database test ran in one
// collection, one class at a time: 15 minutes of CI, most of it one core waiting on a class's database and app start.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]
// The longest classes first (RunsLong), so that none of them is left running alone at the end.
[assembly: TestCollectionOrderer(AiLandscape.TestSupport.LongestFirst.TypeName, "AiLandscape.Tests")]
