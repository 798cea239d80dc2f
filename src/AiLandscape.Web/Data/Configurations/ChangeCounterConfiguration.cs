using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class ChangeCounterConfiguration : IEntityTypeConfiguration<ChangeCounter>
{
    public const int TheRow = 1;

    public void Configure(EntityTypeBuilder<ChangeCounter> b)
    {
        b.ToTable("change_counter");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasData(new ChangeCounter { Id = TheRow, Value = 0 });
    }
}
