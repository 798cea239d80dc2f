// The longest classes first (RunsLong), so that none of them is left running alone at the end.
[assembly: Xunit.TestCollectionOrderer(AiLandscape.TestSupport.LongestFirst.TypeName, "AiLandscape.EndToEnd")]
