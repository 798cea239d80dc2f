using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class CompanyFigureStepConfiguration : IEntityTypeConfiguration<CompanyFigureStep>
{
    public void Configure(EntityTypeBuilder<CompanyFigureStep> b)
    {
        b.HasKey(x => new { x.CompanyId, x.FromOn });
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
        b.ComplexProperty(x => x.Figures, CompanyConfiguration.MapFigures);
    }
}
